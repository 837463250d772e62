import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { calls, clearFaults, injectFault, resetCalls } from '../support/faults.js';
import { api, allItems, changedSince, expectResponseStatus, OTHER_KEY, randomPhone, snapshot, storedWithText } from '../support/stack.js';

/**
 * Exactly once under real faults: the proxy between serverless-offline and DynamoDB Local lets a
 * write land and loses its answer, resets connections before they reach the table, holds answers,
 * and answers throttling errors. Each test makes the fault, then checks the table itself.
 */
afterEach(clearFaults);

const keyed = (key: string) => ({ 'idempotency-key': key });
const edna = (deviceAddress: string, text: string) => ({ text, clientApplicationDescriptor: { channelType: 'WHATSAPP', deviceAddress } });
const ednaSend = (body: object, key: string) =>
  api('/api/v1/messages/outgoing-to-device', { body, key: 'demo-integrator-token', headers: keyed(key) });
function expect503(res: Awaited<ReturnType<typeof api>>): void {
  expect(res.status, res.text).toBe(503);
  expect(res.headers.get('retry-after')).toBe('1');
  expect(res.text).not.toMatch(/ECONN|127\.0\.0\.1|stack|Timeout|Abort/i);
}

describe('ambiguous writes: the write lands, its answer is lost', () => {
  it('a send whose message put lands unheard answers 503; the retry with its key answers the stored message, stored once', async () => {
    const key = randomUUID();
    const text = `lost answer ${key}`;
    await injectFault({ keyPrefix: 'SESSION#', sortKeyPrefix: 'MESSAGE#', action: 'drop-response' });
    const first = await api('/sessions/ses_demo/messages', { body: { body: text }, headers: keyed(key) });
    expect503(first);
    expectResponseStatus(first.json, 'ServiceUnavailable');
    await clearFaults();

    const stored = await storedWithText(text);
    expect(stored).toHaveLength(1);
    const retry = await api('/sessions/ses_demo/messages', { body: { body: text }, headers: keyed(key) });
    expect(retry.status).toBe(200);
    expect(retry.json.id).toBe(stored[0]!.id);
    expect(await storedWithText(text)).toHaveLength(1);
  });

  it("a first send to a new peer whose transaction lands unheard: the retry finds the pair's one session and its one message", async () => {
    const key = randomUUID();
    const text = `lost transaction ${key}`;
    const toAddress = randomPhone();
    await injectFault({ operation: 'TransactWriteItems', action: 'drop-response' });
    expect503(await api('/messages', { body: { endpointId: 'ep_demo', toAddress, body: text }, headers: keyed(key) }));
    await clearFaults();

    const retry = await api('/messages', { body: { endpointId: 'ep_demo', toAddress, body: text }, headers: keyed(key) });
    expect(retry.status).toBe(200);
    const stored = await storedWithText(text);
    expect(stored.map((m) => m.id)).toEqual([retry.json.id]);
    const sessions = (await allItems()).filter((item) => item.type === 'Session' && item.otherAddress === toAddress);
    expect(sessions).toHaveLength(1);
  });

  it('edna: a new device whose transaction lands unheard: the retry answers the same numbers, one client, one message', async () => {
    const key = randomUUID();
    const text = `edna lost ${key}`;
    const device = `8${String(Math.floor(Math.random() * 1e10)).padStart(10, '0')}`;
    await injectFault({ operation: 'TransactWriteItems', action: 'drop-response' });
    expect503(await ednaSend(edna(device, text), key));
    await clearFaults();

    const retry = await ednaSend(edna(device, text), key);
    expect(retry.status).toBe(200);
    const stored = await storedWithText(text);
    expect(stored).toHaveLength(1);
    expect(stored[0]!.edna).toEqual(retry.json);
    expect((await allItems()).filter((item) => item.type === 'EdnaClient' && String(item.clientKey).endsWith(device))).toHaveLength(1);
  });

  it("a claim whose put lands unheard is recognised as the caller's own when the SDK retries it: 200, never a 409 for itself", async () => {
    const key = randomUUID();
    const text = `own claim ${key}`;
    await injectFault({ operation: 'PutItem', keyPrefix: 'IDEMPOTENCY#', action: 'drop-response', times: 1 });
    const res = await api('/sessions/ses_demo/messages', { body: { body: text }, headers: keyed(key) });
    expect(res.status, res.text).toBe(200);
    expect((await storedWithText(text)).map((m) => m.id)).toEqual([res.json.id]);
  });
});

describe('refused means untouched', () => {
  it('a first send to a new peer refused with 503 (the transaction never lands) leaves no session, peer or message', async () => {
    const before = await snapshot();
    await injectFault({ operation: 'TransactWriteItems', action: 'reset' });
    expect503(await api('/messages', { body: { endpointId: 'ep_demo', toAddress: randomPhone(), body: 'never stored' } }));
    expect503(await ednaSend(edna(`8${Date.now()}`, 'never stored'), randomUUID()));
    await clearFaults();
    // The keyed edna send claimed its key (kept for its retry), and nothing else.
    expect((await changedSince(before)).filter((key) => !key.startsWith('IDEMPOTENCY#'))).toEqual([]);
  });

  it('a 422 on a new peer or a new edna device creates nothing: no session, client, thread or counter change', async () => {
    const key = randomUUID();
    expect(
      (await api('/messages', { body: { endpointId: 'ep_demo', toAddress: randomPhone(), body: 'first' }, headers: keyed(key) })).status,
    ).toBe(200);
    const ednaKey = randomUUID();
    expect((await ednaSend(edna(`8${Date.now()}`, 'first'), ednaKey)).status).toBe(200);
    const before = await snapshot();
    expect(
      (await api('/messages', { body: { endpointId: 'ep_demo', toAddress: randomPhone(), body: 'other' }, headers: keyed(key) })).status,
    ).toBe(422);
    expect((await ednaSend(edna(`8${Date.now() + 1}`, 'other'), ednaKey)).status).toBe(422);
    expect(await changedSince(before)).toEqual([]);
  });
});

describe('transient DynamoDB errors are 503, not 500', () => {
  it.each([
    [
      'throttling on the message put',
      { keyPrefix: 'SESSION#', sortKeyPrefix: 'MESSAGE#', action: 'error' as const, errorType: 'ThrottlingException' },
    ],
    [
      'a 500 from DynamoDB',
      { keyPrefix: 'SESSION#', sortKeyPrefix: 'MESSAGE#', action: 'error' as const, status: 500, errorType: 'InternalServerError' },
    ],
  ])('%s', async (_name, rule) => {
    await injectFault(rule);
    const res = await api('/sessions/ses_demo/messages', { body: { body: `throttled ${randomUUID()}` } });
    expect503(res);
    expectResponseStatus(res.json, 'ServiceUnavailable');
  });
});

describe('deadlines', () => {
  it('a DynamoDB slower than the invocation answers 503 with a ResponseStatus before Lambda times out, and calls nothing after the answer', async () => {
    // Reads and the claim answer in 2.9 s (under the SDK's 3 s timeout), the transaction in 5 s: its
    // first attempt times out, and its retry runs into the invocation's deadline (10 s less 0.5 s).
    await injectFault({ operation: 'GetItem', action: 'delay', delayMs: 2900 });
    await injectFault({ operation: 'PutItem', keyPrefix: 'IDEMPOTENCY#', action: 'delay', delayMs: 2900 });
    await injectFault({ operation: 'TransactWriteItems', action: 'delay', delayMs: 5000 });
    await resetCalls();
    const key = randomUUID();
    const toAddress = randomPhone();
    const text = `slow ${key}`;
    const res = await api('/messages', { body: { endpointId: 'ep_demo', toAddress, body: text }, headers: keyed(key) });
    expect503(res);
    expectResponseStatus(res.json, 'ServiceUnavailable');
    const answered = (await calls()).length;
    await new Promise((resolve) => setTimeout(resolve, 3000));
    expect((await calls()).length).toBe(answered);

    // The transaction's first attempt landed after the answer was given up on: the retry finds it.
    await clearFaults();
    const retry = await api('/messages', { body: { endpointId: 'ep_demo', toAddress, body: text }, headers: keyed(key) });
    expect(retry.status).toBe(200);
    expect((await storedWithText(text)).map((m) => m.id)).toEqual([retry.json.id]);
  }, 40_000);
});

describe('no probing across tenants', () => {
  /** The DynamoDB calls one request makes, keys reduced to their entity prefix (credential reads excluded: the key is the caller's own). */
  async function callsOf(request: () => Promise<unknown>): Promise<string[]> {
    await resetCalls();
    await request();
    return (await calls()).flatMap((c) => c.keys.map((k) => `${c.operation} ${k.split('#')[0]}`)).filter((c) => !c.endsWith('CREDENTIAL'));
  }
  const probes = {
    session: (id: string) => () => api(`/sessions/${id}/messages`, { body: { body: 'probe' }, key: OTHER_KEY }),
    endpoint: (id: string) => () => api('/messages', { body: { endpointId: id, toAddress: randomPhone(), body: 'probe' }, key: OTHER_KEY }),
    pair: (phone: string) => () => api('/messages', { body: { endpointId: 'ep_demo', toAddress: phone, body: 'probe' }, key: OTHER_KEY }),
  };

  it.each([
    ['session', probes.session('ses_demo'), probes.session(`ses_${randomUUID()}`)],
    ['endpoint', probes.endpoint('ep_demo'), probes.endpoint(`ep_${randomUUID()}`)],
    ['(endpoint, phone)', probes.pair('+15556667777'), probes.pair(randomPhone())],
  ])("another tenant's %s costs the same DynamoDB calls as a missing one, first and repeated", async (_what, theirs, missing) => {
    await api('/sessions/ses_other/messages', { body: { body: 'warm the key cache' }, key: OTHER_KEY });
    const rounds = [];
    for (let round = 0; round < 3; round++) rounds.push([await callsOf(theirs), await callsOf(missing)]);
    for (const [a, b] of rounds) expect(a).toEqual(b);
  });
});
