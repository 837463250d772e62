import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as callbacks from '../../scripts/admin/callbacks.js';
import { keys } from '../../lib/store/keys.js';
import { consentHistory } from '../../lib/store/optouts.js';
import { consentTenant, deliverable, ops } from '../support/consent.js';
import { storedMessages } from '../support/load.js';
import { item, table } from '../support/stack.js';

/**
 * Consent keywords end to end (docs/consent.md): the simulated carrier's inbound route, the keyword
 * applied after the message is stored, the confirmation through the delivery pipeline, the evidence,
 * and the callbacks.
 */
const replies = async (sessionId: string) => (await storedMessages(sessionId)).filter((m) => m.direction === 'Outgoing');

describe('consent keywords on inbound messages', () => {
  it.each([' stop! ', 'Unsubscribe', 'opt-out', 'STOPALL', 'Quit.', 'revoke'])(
    '%j opts the sender out of the account, with evidence',
    async (text) => {
      const tenant = await consentTenant();
      const from = deliverable();
      const res = await tenant.texts(from, text);
      expect(res.status, res.text).toBe(200);
      expect(res.json).toMatchObject({ consent: 'optOut', replyId: expect.any(String) });
      expect(await item(keys.consent(tenant.accountId, from))).toMatchObject({ state: 'optedOut', version: 1 });
      expect(await consentHistory(table, tenant.accountId, from)).toEqual([
        expect.objectContaining({
          changeId: res.json.message.id,
          previousState: null,
          state: 'optedOut',
          by: 'recipient',
          // The evidence holds the message as stored: inbound text is trimmed like a send's.
          source: expect.objectContaining({
            kind: 'keyword',
            inboundMessageId: res.json.message.id,
            text: text.trim(),
            endpointId: tenant.endpointId,
          }),
        }),
      ]);
    },
  );

  it('answers a STOP with exactly one confirmation, handed off once, however often the message is redelivered', async () => {
    const tenant = await consentTenant();
    const from = deliverable();
    const [id, receivedAt] = [`IN-${ulid()}`, new Date().toISOString()];
    const results = await Promise.all([1, 2, 3, 4].map(() => tenant.texts(from, 'STOP', id, receivedAt)));
    for (const res of results) expect(res.status, res.text).toBe(200);
    const replyIds = new Set(results.map((res) => res.json.replyId));
    expect(replyIds.size).toBe(1);
    const [replyId] = replyIds;
    const sessionId = results[0]!.json.sessionId;
    expect(await replies(sessionId)).toEqual([
      expect.objectContaining({
        id: replyId,
        consentReply: true,
        otherAddress: from,
        sender: tenant.number,
        text: 'Acme Dental: You are unsubscribed and will receive no more messages. Reply START to resubscribe.',
      }),
    ]);
    // Never blocked by the opt-out it confirms: the pipeline hands it to the carrier, once.
    await expect.poll(async () => (await item(keys.delivery(replyId)))?.status, { timeout: 20_000 }).toBe('delivered');
    expect((await item(keys.carrierHandoff(replyId)))?.calls).toBe(1);
    expect(await consentHistory(table, tenant.accountId, from)).toHaveLength(1);
    // A later redelivery still changes and sends nothing.
    expect((await tenant.texts(from, 'STOP', id, receivedAt)).json.replyId).toBe(replyId);
    expect(await replies(sessionId)).toHaveLength(1);
  });

  it('opts back in on START with a confirmation; answers no YES from a number that never opted out', async () => {
    const tenant = await consentTenant();
    const from = deliverable();
    const yes = await tenant.texts(from, 'Yes');
    expect(yes.json).toMatchObject({ consent: 'optIn', replyId: null });
    expect(await item(keys.consent(tenant.accountId, from))).toBeUndefined();
    await tenant.texts(from, 'STOP');
    const start = await tenant.texts(from, 'start');
    expect(start.json).toMatchObject({ consent: 'optIn', replyId: expect.any(String) });
    expect(await item(keys.consent(tenant.accountId, from))).toMatchObject({ state: 'optedIn', version: 2 });
    const texts = (await replies(start.json.sessionId)).map((m) => m.text);
    expect(texts).toEqual([expect.stringMatching(/unsubscribed/), expect.stringMatching(/^Acme Dental: You are resubscribed/)]);
  });

  it('answers HELP without a change; flags a revocation in other words for review without acting on it', async () => {
    const tenant = await consentTenant();
    const from = deliverable();
    const help = await tenant.texts(from, 'HELP');
    expect(help.json).toMatchObject({ consent: 'help', replyId: expect.any(String) });
    const review = await tenant.texts(from, 'please stop texting me');
    expect(review.json).toMatchObject({ consent: 'review', replyId: null });
    const plain = await tenant.texts(from, 'see you at 5');
    expect(plain.json).toMatchObject({ consent: 'none', replyId: null });
    expect(await item(keys.consent(tenant.accountId, from))).toBeUndefined();
    expect((await replies(help.json.sessionId)).map((m) => m.text)).toEqual([expect.stringMatching(/^Acme Dental: Reply STOP/)]);
  });

  it("keeps one account's STOP in that account", async () => {
    const a = await consentTenant();
    const b = await consentTenant();
    const from = deliverable();
    await a.texts(from, 'STOP');
    expect(await item(keys.consent(a.accountId, from))).toMatchObject({ state: 'optedOut' });
    expect(await item(keys.consent(b.accountId, from))).toBeUndefined();
  });
});

describe('consent callbacks', () => {
  const received: { path: string; headers: IncomingHttpHeaders; body: string }[] = [];
  const receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      received.push({ path: req.url!, headers: req.headers, body });
      res.writeHead(204).end();
    });
  });
  let base = '';
  beforeAll(async () => {
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    receiver.closeAllConnections();
    receiver.close();
  });

  it('POSTs signed contact.opted_out and contact.opted_in with the evidence, and message.received says what the text was', async () => {
    const tenant = await consentTenant();
    const path = `/${tenant.accountId}`;
    const { secret } = await callbacks.subscribe(ops, tenant.accountId, `${base}${path}`, [
      'message.received',
      'contact.opted_out',
      'contact.opted_in',
    ]);
    const from = deliverable();
    const stop = await tenant.texts(from, 'STOP');
    const start = await tenant.texts(from, 'START');
    const events = () =>
      received
        .filter((r) => r.path === path)
        .map((r) => ({
          id: r.headers['webhook-id'],
          ...(new Webhook(secret).verify(r.body, r.headers as Record<string, string>) as { type: string; data: Record<string, any> }),
        }));
    await expect.poll(() => events().length, { timeout: 30_000 }).toBe(4);
    const byType = Object.fromEntries(events().map((e) => [`${e.type}:${e.data.changeId ?? e.data.messageId}`, e]));
    expect(byType[`contact.opted_out:${stop.json.message.id}`]).toMatchObject({
      id: `consent_${stop.json.message.id}`,
      data: { accountId: tenant.accountId, number: from, state: 'optedOut', previousState: null, source: { kind: 'keyword' } },
    });
    expect(byType[`contact.opted_in:${start.json.message.id}`]).toMatchObject({
      data: { number: from, state: 'optedIn', previousState: 'optedOut' },
    });
    expect(byType[`message.received:${stop.json.message.id}`]?.data.consent).toBe('optOut');
    expect(byType[`message.received:${start.json.message.id}`]?.data.consent).toBe('optIn');
  });
});
