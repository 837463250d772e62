import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { keys } from '../../lib/store/keys.js';
import { MAX_ATTEMPTS } from '../../lib/domain/delivery/dispatch.js';
import { SCENARIOS } from '../../lib/providers/simulated/scenarios.js';
import { streamSource } from '../../scripts/stream-local.js';
import { findPeerSession } from '../../lib/store/sessions.js';
import { calls, clearFaults, injectFault, resetCalls } from '../support/faults.js';
import { storedMessages } from '../support/load.js';
import { api, expectResponseStatus, item, OTHER_KEY, randomPhone, table } from '../support/stack.js';

/**
 * The delivery pipeline end to end: a send through serverless-offline, the table's stream polled into
 * `dispatch`, the simulated carrier, its reports through `delivery-status`, the status route. What the
 * carrier counts (calls, hand-offs) is read from its own records, never from the API's answers.
 */
afterEach(clearFaults);

const delivery = (messageId: string) => item(keys.delivery(messageId));
const handoff = (messageId: string) => item(keys.carrierHandoff(messageId));

/** A new number on the demo endpoint whose last two digits choose the carrier's scenario. */
const numberFor = (scenario: string) => `${randomPhone().slice(0, -2)}${scenario}`;

async function send(toAddress: string, text = `delivery ${randomUUID()}`) {
  const res = await api('/messages', { body: { endpointId: 'ep_demo', toAddress, body: text } });
  expect(res.status, res.text).toBe(200);
  return res.json as { id: string; sessionId?: string };
}

/** The session a message was stored in (the send's answer is MessageInfo, which does not name it). */
const sessionOf = async (toAddress: string): Promise<string> => (await findPeerSession(table, 'ep_demo', toAddress, true))!.sessionId;

const statusOf = async (sessionId: string, messageId: string, key?: string) =>
  api(`/sessions/${sessionId}/messages/${messageId}/status`, { key });

/** Waits until the message's delivery reaches `status` (polling the table: no fixed sleeps). */
async function settled(messageId: string, status: string) {
  await expect.poll(async () => (await delivery(messageId))?.status, { timeout: 20_000, interval: 100 }).toBe(status);
  return (await delivery(messageId))!;
}

/** And its history stops growing: every report the scenario sends has been taken. */
async function reportsTaken(messageId: string, count: number) {
  await expect
    .poll(async () => ((await delivery(messageId))?.history as unknown[] | undefined)?.length, { timeout: 20_000, interval: 100 })
    .toBe(count);
  return (await delivery(messageId))!;
}

const lifecycle = (history: { status: string; applied: boolean }[]) => history.map((h) => `${h.status}${h.applied ? '' : ' (kept)'}`);

describe('a send reaches the simulated carrier exactly once, and its status is readable', () => {
  it('delivers a send to a session: accepted, sending, sent, delivered; the carrier saw one call and one hand-off', async () => {
    const text = `to the demo session ${randomUUID()}`;
    const sent = await api('/sessions/ses_demo/messages', { body: { body: text } });
    expect(sent.status).toBe(200);
    expect(Object.keys(sent.json)).toHaveLength(11);
    await reportsTaken(sent.json.id, 4);
    const carrier = await handoff(sent.json.id);
    expect(carrier).toMatchObject({ calls: 1, text, to: '+15556667777', from: '+15550001111', accountId: 'acct_demo' });

    const res = await statusOf('ses_demo', sent.json.id);
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({
      messageId: sent.json.id,
      status: 'delivered',
      provider: 'simulated',
      providerMessageId: carrier!.providerMessageId,
      segments: 1,
      encoding: 'GSM-7',
    });
    expect(lifecycle(res.json.history)).toEqual(['accepted', 'sending', 'sent', 'delivered']);
    expect(res.json.history[3]).toMatchObject({ source: 'simulated', providerStatus: 'DELIVERED' });

    const outbox = await api('/dev/carrier/outbox');
    expect(outbox.status).toBe(200);
    expect(outbox.json.outbox.filter((h: { messageId: string }) => h.messageId === sent.json.id)).toHaveLength(1);
    expect(outbox.json.outbox.every((h: { accountId: string }) => h.accountId === 'acct_demo')).toBe(true);
  });

  it('counts segments and encoding when the message is dispatched', async () => {
    const to = numberFor('00');
    // Cyrillic is not in GSM-7: the whole text is UCS-2, 67 characters per segment once split.
    const { id } = await send(to, `${'Ж'.repeat(70)} ${randomUUID()}`);
    const done = await settled(id, 'delivered');
    expect(done).toMatchObject({ encoding: 'UCS-2', segments: 2 });
    const plain = await send(numberFor('00'), `${'a'.repeat(200)}`);
    expect(await settled(plain.id, 'delivered')).toMatchObject({ encoding: 'GSM-7', segments: 2 });
  });

  it('answers the status in XML', async () => {
    const to = numberFor('00');
    const { id } = await send(to);
    await settled(id, 'delivered');
    const res = await api(`/sessions/${await sessionOf(to)}/messages/${id}/status?format=xml`);
    expect(res.status).toBe(200);
    expect(res.text).toContain('<MessageStatus xmlns:i=');
    expect(res.text).toContain('<Status>delivered</Status>');
    expect(res.text).toContain('<StatusChange>');
  });
});

describe('edna channels', () => {
  it("delivers an edna WhatsApp send through the simulated carrier, readable through its thread's session", async () => {
    const device = `7900${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}09`;
    const res = await api('/api/v1/messages/outgoing-to-device', {
      key: 'demo-integrator-token',
      body: { text: `edna ${randomUUID()}`, clientApplicationDescriptor: { channelType: 'WHATSAPP', deviceAddress: device } },
    });
    expect(res.status, res.text).toBe(200);
    expect(Object.keys(res.json).sort()).toEqual(['agentId', 'clientExternalId', 'clientId', 'id', 'threadId']);
    const [stored] = await storedMessages(`thread-${res.json.threadId}`);
    const done = await reportsTaken(String(stored!.id), 5);
    expect(done).toMatchObject({ status: 'read', channel: 'WHATSAPP', provider: 'simulated' });
    const status = await statusOf(`thread-${res.json.threadId}`, String(stored!.id));
    expect(status.status, status.text).toBe(200);
    expect(status.json.status).toBe('read');
  });
});

describe('the simulated carrier scenarios (by the last two digits)', () => {
  it.each([
    ['01', 'failed', 1, ['accepted', 'sending', 'failed'], 'INVALID_NUMBER'],
    ['02', 'undelivered', 1, ['accepted', 'sending', 'sent', 'sent (kept)', 'undelivered'], 'UNREACHABLE'],
    ['03', 'delivered', 2, ['accepted', 'sending', 'sent', 'delivered'], undefined],
    ['04', 'sent', 1, ['accepted', 'sending', 'sent', 'sent (kept)'], undefined],
    ['05', 'delivered', 1, ['accepted', 'sending', 'sent', 'delivered', 'sent (kept)'], undefined],
    ['06', 'delivered', 1, ['accepted', 'sending', 'sent', 'delivered'], undefined],
    ['07', 'undelivered', 1, ['accepted', 'sending', 'sent', 'delivered', 'undelivered', 'delivered (kept)'], 'SEGMENT_LOST'],
    ['09', 'read', 1, ['accepted', 'sending', 'sent', 'delivered', 'read'], undefined],
  ])('%s: ends %s after %i call(s), history in arrival order', async (digits, status, callCount, history, errorCode) => {
    expect(SCENARIOS[digits]).toBeDefined();
    const { id } = await send(numberFor(digits));
    const done = await reportsTaken(id, history.length);
    expect(done.status).toBe(status);
    expect(lifecycle(done.history)).toEqual(history);
    expect(done.errorCode).toBe(errorCode);
    const carrier = await handoff(id);
    expect(carrier!.calls).toBe(callCount);
    expect(carrier!.handedOffAt !== undefined).toBe(status !== 'failed');
  });
});

describe('throttling (M3)', () => {
  it('08, throttled on every call: never failed; it stays sending while the stream retries its record, three calls a try, until the record is given up', async () => {
    const tries = 1 + streamSource('dispatch').maximumRetryAttempts;
    const { id } = await send(numberFor('08'));
    await expect.poll(async () => (await handoff(id))?.calls, { timeout: 60_000, interval: 200 }).toBe(MAX_ATTEMPTS * tries);
    const waiting = (await delivery(id))!;
    expect(waiting.status).toBe('sending');
    expect(lifecycle(waiting.history)).toEqual(['accepted', 'sending']);
    expect(waiting.errorCode).toBeUndefined();
    expect((await handoff(id))!.handedOffAt).toBeUndefined();
  }, 70_000);
});

describe('the status route: errors and tenancy', () => {
  it("answers 404 for another account's message, after exactly the calls a missing one costs", async () => {
    const { id } = await send(numberFor('00'));
    const callsOf = async (request: () => Promise<unknown>) => {
      await resetCalls();
      await request();
      return (await calls())
        .flatMap((c) => c.keys.map((k) => `${c.operation} ${k.split('#')[0]}`))
        .filter((c) => !c.endsWith('CREDENTIAL'));
    };
    const theirs = () => statusOf('ses_demo', id, OTHER_KEY);
    const missing = () => statusOf(`ses_${randomUUID()}`, id, OTHER_KEY);
    for (let round = 0; round < 2; round++) expect(await callsOf(theirs)).toEqual(await callsOf(missing));
    const res = await theirs();
    expect(res.status).toBe(404);
    expectResponseStatus(res.json, 'NotFound');
    expect(res.text).not.toContain(id.slice(0, 10) + 'x');
  });

  it('answers 404 for a message that is not in the session, 401 without a key', async () => {
    const { id } = await send(numberFor('00'));
    expect((await statusOf('ses_demo', id)).status).toBe(404);
    expect((await api(`/sessions/ses_demo/messages/${id}/status`, { key: null })).status).toBe(401);
  });

  it("shows another account nothing of the demo account's outbox", async () => {
    const res = await api('/dev/carrier/outbox', { key: OTHER_KEY });
    expect(res.status).toBe(200);
    expect(res.json.outbox.every((h: { accountId: string }) => h.accountId === 'acct_other')).toBe(true);
  });
});
