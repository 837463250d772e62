import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, inject, it } from 'vitest';
import { calls, DELIVERY_PREFIXES, resetCalls, type Call } from '../support/faults.js';
import { api, randomPhone } from '../support/stack.js';

/**
 * A warm repeated send is ONE DynamoDB call, its PutItem (issue 25), whatever checks the send path
 * gains: what they read is cached per container. Counted by the fault proxy, through the real stack.
 *
 * What "warm" takes locally, and how the count is kept to the send's own calls:
 * - One container: serverless-offline runs a worker per concurrent request and hands a request to the
 *   first idle one, so every request here is sent after the previous one answered.
 * - Its caches: two real sends to the same target fill them (the first may create the session).
 * - The credential cache (CREDENTIAL_CACHE_SECONDS, 3 s in the test stack): its entry expires that long
 *   after it was read, however often it is used. So the measured send follows a refused request with
 *   the same key once the entry has expired: authenticated before it is refused, that request reads the
 *   key and stores nothing. A measured send that ended later than the cache time after that request
 *   began proves nothing about warmth and is made again.
 * - The delivery pipeline: the earlier sends' dispatches run in the background, through the same proxy.
 *   The measured send starts once they are quiet; its own message's dispatch starts with the claim of
 *   its `DELIVERY#` item, after the send's put: calls from that claim on are the pipeline's.
 */
const { credentialCacheSeconds } = inject('stack');
const QUIET_MS = 750;
const ATTEMPTS = 4;

interface Target {
  send(text: string, headers?: Record<string, string>): ReturnType<typeof api>;
  /** The same caller's request, refused after authentication: it stores nothing. */
  refused(): ReturnType<typeof api>;
}

const toSession: Target = {
  send: (text, headers) => api('/sessions/ses_demo/messages', { body: { body: text }, headers }),
  refused: () => api('/sessions/ses_demo/messages', { body: { body: '' } }),
};

function toEndpoint(toAddress: string): Target {
  return {
    send: (text, headers) => api('/messages', { body: { endpointId: 'ep_demo', toAddress, body: text }, headers }),
    refused: () => api('/messages', { body: { endpointId: 'ep_demo', toAddress, body: '' } }),
  };
}

function toDevice(deviceAddress: string): Target {
  const send = (text: string, headers?: Record<string, string>) =>
    api('/api/v1/messages/outgoing-to-device', {
      body: { text, clientApplicationDescriptor: { channelType: 'WHATSAPP', deviceAddress } },
      key: 'demo-integrator-token',
      headers,
    });
  return { send, refused: () => send('') };
}

const isMessagePut = (call: Call) => call.operation === 'PutItem' && call.sortKeys.some((sk) => sk.startsWith('MESSAGE#'));
const isCredentialRead = (call: Call) => call.keys.some((key) => key.startsWith('CREDENTIAL#'));
const isPipeline = (call: Call) => call.keys.length > 0 && call.keys.every((key) => DELIVERY_PREFIXES.some((p) => key.startsWith(p)));
/** A warm edna container reserves its numeric ids 100 at a time (lib/store/edna.ts): one write per block, not per send. */
const isEdnaBlock = (call: Call) => call.operation === 'UpdateItem' && call.keys.includes('COUNTER#EDNA');
/**
 * Per account and container, not per send: the limits are read again once a minute (LIMITS_CACHE_MS)
 * and the quota counter written in batches (every 10 s at most): a send that happens to carry one is
 * made again, like a new edna block.
 */
const isLimitsRefresh = (call: Call) =>
  (call.operation === 'Query' && call.keys.some((key) => key.startsWith('ACCOUNT#'))) ||
  (call.operation === 'UpdateItem' && call.keys.some((key) => key.startsWith('QUOTA#'))) ||
  // The recipient's opt-out state, read again after CONSENT_CACHE_SECONDS (30 s).
  (call.operation === 'GetItem' && call.keys.some((key) => key.startsWith('OPTOUTS#')));
const describeCalls = (list: Call[]) => list.map((c) => `${c.operation} ${c.keys.map((k, i) => `${k}/${c.sortKeys[i]}`).join(', ')}`);

/** Waits until no function has called DynamoDB for QUIET_MS (the earlier sends' deliveries and callbacks). */
async function quiet(): Promise<void> {
  const deadline = Date.now() + 30_000;
  let seen = -1;
  for (;;) {
    const now = (await calls({})).length;
    if (now === seen) return;
    if (Date.now() > deadline) throw new Error('the delivery pipeline never went quiet');
    seen = now;
    await sleep(QUIET_MS);
  }
}

/** The send's own calls: up to the first claim of a delivery after its message's put, the pipeline's calls left out. */
function ownCalls(log: Call[]): Call[] {
  const put = log.findIndex(isMessagePut);
  const claim = put < 0 ? -1 : log.findIndex((call, i) => i > put && call.keys.some((key) => key.startsWith('DELIVERY#')));
  return (claim < 0 ? log : log.slice(0, claim)).filter((call) => !isPipeline(call));
}

/**
 * The DynamoDB calls of a warm repeated send to `target` (with `headers`), after two sends that warm
 * the container. Made again (at most ATTEMPTS times) only when its extra calls are a credential read
 * not proven warm or a new edna block; any other extra call is returned at once, for the assertion.
 */
async function warmSendCalls(target: Target, headers: () => Record<string, string> = () => ({})): Promise<Call[]> {
  for (let i = 0; i < 2; i++) expect((await target.send(`warming ${randomUUID()}`, headers())).status).toBe(200);
  let own: Call[] = [];
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    await quiet();
    // Past the cache time of whatever was read before, then read again: the entry is as fresh as can be.
    await sleep(credentialCacheSeconds * 1000);
    const filled = Date.now();
    expect((await target.refused()).status).toBe(400);
    await resetCalls();
    const res = await target.send(`warm ${randomUUID()}`, headers());
    const proven = Date.now() - filled < credentialCacheSeconds * 1000;
    expect(res.status, res.text).toBe(200);
    own = ownCalls(await calls({}));
    const extra = own.filter((call) => !isMessagePut(call) && !(call.operation === 'PutItem' && call.keys[0]?.startsWith('IDEMPOTENCY#')));
    const excused = extra.every((call) => (isCredentialRead(call) && !proven) || isEdnaBlock(call) || isLimitsRefresh(call));
    if (extra.length === 0 || !excused) return own;
  }
  throw new Error(`no warm send among ${ATTEMPTS}: the machine is too slow for a ${credentialCacheSeconds} s credential cache`);
}

describe('a warm repeated send makes one DynamoDB call', () => {
  it.each([
    ['send-to-session', () => toSession],
    ['send-to-endpoint', () => toEndpoint(randomPhone())],
    ['outgoing-to-device', () => toDevice(randomPhone('7900'))],
  ])(
    '%s: one PutItem of the message, nothing read',
    async (_name, target) => {
      const own = await warmSendCalls(target());
      expect(describeCalls(own)).toEqual([expect.stringMatching(/^PutItem SESSION#[^/]+\/MESSAGE#/)]);
    },
    90_000,
  );

  it('with an Idempotency-Key: two, the claim then the message (send-to-session)', async () => {
    const own = await warmSendCalls(toSession, () => ({ 'idempotency-key': randomUUID() }));
    expect(describeCalls(own)).toEqual([
      expect.stringMatching(/^PutItem IDEMPOTENCY#[^/]+\/IDEMPOTENCY$/),
      expect.stringMatching(/^PutItem SESSION#[^/]+\/MESSAGE#/),
    ]);
  }, 90_000);
});
