import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ulid } from 'ulid';
import { describe, expect, it } from 'vitest';
import { admin } from '../support/admin.js';
import { consentTenant, deliverable } from '../support/consent.js';
import { storedMessages } from '../support/load.js';
import { allItems, api, OTHER_KEY } from '../support/stack.js';

/** The opt-out list through the API (role User, the caller's account only) and the operators' CLI (docs/consent.md). */
describe('the opt-out list API', () => {
  it('adds with a reason, lists in pages, shows the evidence, removes with a reason; each change names the key', async () => {
    const tenant = await consentTenant();
    const [n1, n2] = [deliverable(), deliverable()];
    const added = await api('/optouts', { key: tenant.key, body: { number: n1, reason: 'Paper form 2026-12-01' } });
    expect(added.status, added.text).toBe(200);
    expect(added.json).toMatchObject({
      number: n1,
      state: 'optedOut',
      lastChange: { reason: 'Paper form 2026-12-01', previousState: null, by: expect.stringMatching(/^key_[0-9a-f]{16}$/) },
    });
    expect(added.json.lastChange.source).toEqual({ kind: 'api', keyId: added.json.lastChange.by });
    await api('/optouts', { key: tenant.key, body: { number: n2, reason: 'Phone call' } });
    const first = await api('/optouts?limit=1', { key: tenant.key });
    expect(first.status, first.text).toBe(200);
    expect(first.json.results).toHaveLength(1);
    const second = await api(`/optouts?limit=1&cursor=${encodeURIComponent(first.json.next)}`, { key: tenant.key });
    expect([...first.json.results, ...second.json.results].map((r: { number: string }) => r.number).sort()).toEqual([n1, n2].sort());

    const removed = await api(`/optouts/${encodeURIComponent(n1)}?reason=${encodeURIComponent('Texted us to resubscribe by email')}`, {
      key: tenant.key,
      method: 'DELETE',
    });
    expect(removed.status, removed.text).toBe(200);
    expect(removed.json).toMatchObject({ state: 'optedIn', lastChange: { previousState: 'optedOut' } });
    const shown = await api(`/optouts/${encodeURIComponent(n1)}`, { key: tenant.key });
    expect(shown.json.history.map((c: { state: string }) => c.state)).toEqual(['optedOut', 'optedIn']);
    expect((await api('/optouts', { key: tenant.key })).json.results.map((r: { number: string }) => r.number)).toEqual([n2]);
    expect((await api('/optouts?all=true', { key: tenant.key })).json.results).toHaveLength(2);
  });

  it('lists a STOP received by keyword with its inbound message as evidence', async () => {
    const tenant = await consentTenant();
    const from = deliverable();
    const stop = await tenant.texts(from, 'STOP');
    const listed = await api('/optouts', { key: tenant.key });
    expect(listed.json.results).toEqual([
      expect.objectContaining({
        number: from,
        lastChange: expect.objectContaining({ source: expect.objectContaining({ inboundMessageId: stop.json.message.id }) }),
      }),
    ]);
  });

  it("refuses bad input naming the field and stores nothing; never shows another account's list", async () => {
    const tenant = await consentTenant();
    const before = (await allItems()).length;
    const noReason = await api('/optouts', { key: tenant.key, body: { number: deliverable() } });
    expect(noReason.status).toBe(400);
    expect(noReason.json.responseStatus).toMatchObject({
      errorCode: 'NotEmpty',
      errors: [expect.objectContaining({ fieldName: 'Reason' })],
    });
    const badNumber = await api('/optouts', { key: tenant.key, body: { number: 'not a number', reason: 'x' } });
    expect(badNumber.status).toBe(400);
    expect(badNumber.json.responseStatus.errors[0].fieldName).toBe('Number');
    expect((await api('/optouts', { key: null })).status).toBe(401);
    expect((await allItems()).length).toBe(before);
    const number = deliverable();
    await api('/optouts', { key: tenant.key, body: { number, reason: 'form' } });
    expect((await api('/optouts?all=true', { key: OTHER_KEY })).json.results.map((r: { number: string }) => r.number)).not.toContain(
      number,
    );
    expect((await api(`/optouts/${encodeURIComponent(number)}`, { key: OTHER_KEY })).json).toMatchObject({ state: 'optedIn', history: [] });
  });
});

describe('messaging-admin optout', () => {
  it('adds, removes, shows, imports a CSV and lists, recording the operator; sets the confirmations', async () => {
    const tenant = await consentTenant();
    const number = deliverable();
    const added = await admin('optout', 'add', number, '--account', tenant.accountId, '--reason', 'Paper form', '--by', 'alice', '--json');
    expect(added).toMatchObject({ code: 0, json: { number, state: 'optedOut', changed: true } });
    expect((await admin('optout', 'add', number, '--account', tenant.accountId, '--json')).code).toBe(2);
    const removed = await admin(
      'optout',
      'remove',
      number,
      '--account',
      tenant.accountId,
      '--reason',
      'Asked by phone',
      '--by',
      'bob',
      '--json',
    );
    expect(removed.json).toMatchObject({ state: 'optedIn', changed: true });
    const shown = await admin('optout', 'show', number, '--account', tenant.accountId, '--json');
    expect(shown.json.history.map((c: { by: string; source: { kind: string } }) => [c.by, c.source.kind])).toEqual([
      ['operator:alice', 'cli'],
      ['operator:bob', 'cli'],
    ]);

    const [a, b] = [deliverable(), deliverable()];
    const file = join(tmpdir(), `optouts-${ulid()}.csv`);
    await writeFile(file, `number,reason\n${a},Signed form\n${b}\nnot-a-number\n${a}\n`);
    const imported = await admin('optout', 'import', '--account', tenant.accountId, '--file', file, '--by', 'carol', '--json');
    expect(imported.json).toMatchObject({ added: 2, unchanged: 1, refused: [] });
    const bad = join(tmpdir(), `optouts-${ulid()}.csv`);
    await writeFile(bad, `+1 555\n`);
    expect((await admin('optout', 'import', '--account', tenant.accountId, '--file', bad, '--json')).json.refused).toHaveLength(1);
    const listed = await admin('optout', 'list', '--account', tenant.accountId, '--json');
    expect(listed.json.map((r: { number: string }) => r.number).sort()).toEqual([a, b].sort());
    expect(listed.json.find((r: { number: string }) => r.number === a)).toMatchObject({ reason: 'Signed form', by: 'operator:carol' });

    const texts = await admin('optout', 'texts', '--account', tenant.accountId, '--opt-out', 'Acme: you are out. Text START to return.');
    expect(texts.code, texts.err).toBe(0);
    const from = deliverable();
    const stop = await tenant.texts(from, 'STOP');
    expect((await storedMessages(stop.json.sessionId)).find((m) => m.direction === 'Outgoing')?.text).toBe(
      'Acme: you are out. Text START to return.',
    );
  });
});
