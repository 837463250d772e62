import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { keys } from '../../lib/store/keys.js';
import { snsEvent } from '../../scripts/carrier-local.js';
import { storedMessages } from '../support/load.js';
import { api, invokeFunction, item, OTHER_KEY, randomPhone } from '../support/stack.js';

/**
 * Replies end to end: the simulated carrier's inbound route and the aws-sms two-way function, both
 * through one core path, into the conversation of (the endpoint owning the number, the sender).
 */
const DEMO_NUMBER = '+15550001111';
const OTHER_NUMBER = '+15550002222';

const reply = (body: object, key?: string) => api('/dev/carrier/inbound', { body: { receivedAt: new Date().toISOString(), ...body }, key });

describe('POST /dev/carrier/inbound (simulated carrier)', () => {
  it('stores a reply in the existing session as Incoming and unread, once however often it is posted', async () => {
    const id = `IN-${randomUUID()}`;
    const receivedAt = new Date().toISOString();
    const text = `reply ${randomUUID()}`;
    const first = await reply({ from: '+1 555 666 7777', to: DEMO_NUMBER, text, id, receivedAt });
    expect(first.status, first.text).toBe(200);
    expect(first.json.sessionId).toBe('ses_demo');
    expect(first.json.message).toMatchObject({
      accountId: 'acct_demo',
      customerId: 'cus_demo',
      endpointId: 'ep_demo',
      endpointDisplayName: 'Demo Line',
      direction: 'Incoming',
      isUnread: true,
      otherAddress: '+15556667777',
      sender: '+15556667777',
      text,
    });
    const again = await Promise.all([1, 2, 3].map(() => reply({ from: '+15556667777', to: DEMO_NUMBER, text, id, receivedAt })));
    for (const res of again) expect(res.json.message).toEqual(first.json.message);
    expect((await storedMessages('ses_demo')).filter((m) => m.text === text)).toHaveLength(1);
    // It carries the index keys: ListMessages shows it, by conversation at once and by endpoint shortly.
    const listed = await api('/messages?conversationIds=ses_demo&countPerPage=100');
    expect(listed.json.items.filter((m: { id: string }) => m.id === first.json.message.id)).toEqual([first.json.message]);
    await expect
      .poll(async () => (await api(`/messages?endpointIds=ep_demo&specificIds=${first.json.message.id}`)).json.items, { timeout: 10_000 })
      .toEqual([first.json.message]);
  });

  it('creates the session of a new sender exactly as a first send does, one under concurrency', async () => {
    const from = randomPhone();
    const results = await Promise.all(
      [1, 2, 3, 4].map((n) => reply({ from, to: DEMO_NUMBER, text: `hello ${n}`, id: `IN-${randomUUID()}` })),
    );
    for (const res of results) expect(res.status, res.text).toBe(200);
    const sessions = new Set(results.map((res) => res.json.sessionId));
    expect(sessions.size).toBe(1);
    const [sessionId] = sessions;
    expect(await item(keys.peer('ep_demo', from))).toMatchObject({
      sessionId,
      otherAddress: from,
      sender: DEMO_NUMBER,
      accountId: 'acct_demo',
    });
    expect(await storedMessages(sessionId)).toHaveLength(4);
    // A send to that number afterwards goes into the same conversation.
    const sent = await api('/messages', { body: { endpointId: 'ep_demo', toAddress: from, body: 'answer' } });
    expect(sent.status).toBe(200);
    expect((await storedMessages(sessionId)).map((m) => m.id)).toContain(sent.json.id);
  });

  it('is not dispatched: only outgoing messages reach the provider', async () => {
    const from = randomPhone();
    const incoming = await reply({ from, to: DEMO_NUMBER, text: 'no dispatch', id: `IN-${randomUUID()}` });
    const sent = await api('/messages', { body: { endpointId: 'ep_demo', toAddress: from, body: 'after the reply' } });
    // Once the later outgoing message was dispatched, the earlier incoming one would have been too.
    await expect.poll(async () => (await item(keys.delivery(sent.json.id)))?.status, { timeout: 20_000 }).toBe('delivered');
    expect(await item(keys.delivery(incoming.json.message.id))).toBeUndefined();
    expect(await item(keys.carrierHandoff(incoming.json.message.id))).toBeUndefined();
  });

  it("stores nothing for a number no endpoint owns, nor for another account's number", async () => {
    const from = randomPhone();
    const unknown = await reply({ from, to: '+15550009999', text: 'lost', id: `IN-${randomUUID()}` });
    expect(unknown.status).toBe(202);
    expect(unknown.json).toEqual({ dropped: 'unknown-number', number: '+15550009999' });
    const foreign = await reply({ from, to: DEMO_NUMBER, text: 'not yours', id: `IN-${randomUUID()}` }, OTHER_KEY);
    expect(foreign.status).toBe(202);
    expect(await item(keys.peer('ep_demo', from))).toBeUndefined();
  });

  it("scopes a carrier's id by endpoint: two tenants posting the same id and time get two messages", async () => {
    const id = `IN-${randomUUID()}`;
    const receivedAt = new Date().toISOString();
    const mine = await reply({ from: randomPhone(), to: DEMO_NUMBER, text: 'same id', id, receivedAt });
    const theirs = await reply({ from: randomPhone(), to: OTHER_NUMBER, text: 'same id', id, receivedAt }, OTHER_KEY);
    expect([mine.status, theirs.status]).toEqual([200, 200]);
    expect(theirs.json.message.accountId).toBe('acct_other');
    expect(theirs.json.message.id).not.toBe(mine.json.message.id);
  });

  it('refuses a receivedAt far from now and text a send would refuse, with 400 naming the field, storing nothing', async () => {
    const from = randomPhone();
    for (const receivedAt of ['1969-12-31T23:59:59Z', '9999-12-31T23:59:59Z']) {
      const refused = await reply({ from, to: DEMO_NUMBER, text: 'old', id: `IN-${randomUUID()}`, receivedAt });
      expect(refused.status, refused.text).toBe(400);
      expect(refused.json.responseStatus.errors).toEqual([expect.objectContaining({ fieldName: 'ReceivedAt', errorCode: 'OutOfRange' })]);
    }
    // JSON escapes in the body: a lone surrogate written raw would become U+FFFD on the way.
    for (const [text, errorCode] of [
      ['\\u200b', 'NotEmpty'],
      ['\\ud800', 'InvalidUnicode'],
    ]) {
      const refused = await api('/dev/carrier/inbound', { body: `{"from":"${from}","to":"${DEMO_NUMBER}","text":"${text}"}` });
      expect(refused.status, refused.text).toBe(400);
      expect(refused.json.responseStatus.errors).toEqual([expect.objectContaining({ fieldName: 'Text', errorCode })]);
    }
    expect(await item(keys.peer('ep_demo', from))).toBeUndefined();
  });

  it('refuses a malformed body with 400 and a missing key with 401', async () => {
    expect((await reply({ from: '+15556667777', to: DEMO_NUMBER })).status).toBe(400);
    expect((await api('/dev/carrier/inbound', { body: { from: '+15556667777', to: DEMO_NUMBER, text: 'x', id: 'IN-1' } })).status).toBe(
      400,
    );
    expect((await api('/dev/carrier/inbound', { body: { from: '+15556667777', to: DEMO_NUMBER, text: 'x' }, key: null })).status).toBe(401);
  });
});

describe('inbound (aws-sms two-way through SNS)', () => {
  const twoWay = (inboundMessageId: string, from: string, to: string, text: string) =>
    snsEvent({
      originationNumber: from,
      destinationNumber: to,
      messageKeyword: 'KEYWORD_X',
      messageBody: text,
      inboundMessageId,
      previousPublishedMessageId: 'x',
    });

  it('stores each two-way message once, however often SNS delivers it', async () => {
    const from = randomPhone();
    const event = twoWay(randomUUID(), from, DEMO_NUMBER, 'from AWS');
    for (let i = 0; i < 3; i++) {
      const res = await invokeFunction('inbound', event);
      expect(await res.text()).not.toContain('errorMessage');
    }
    const peer = await item(keys.peer('ep_demo', from));
    const stored = await storedMessages(String(peer!.sessionId));
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({
      direction: 'Incoming',
      isUnread: true,
      sender: from,
      otherAddress: from,
      text: 'from AWS',
      date: event.Records[0]!.Sns.Timestamp,
    });
  });

  it('drops a message to a number no endpoint owns', async () => {
    const from = randomPhone();
    const res = await invokeFunction('inbound', twoWay(randomUUID(), from, '+15550009998', 'nobody'));
    expect(await res.text()).not.toContain('errorMessage');
    expect(await item(keys.peer('ep_demo', from))).toBeUndefined();
  });
});

describe('POST /sessions/{sessionId}/messages/{messageId}/read (MarkMessageRead)', () => {
  it("clears isUnread of a reply, idempotently, and only in the caller's own session", async () => {
    const from = randomPhone();
    const incoming = await reply({ from, to: DEMO_NUMBER, text: 'read me', id: `IN-${randomUUID()}` });
    const { sessionId, message } = incoming.json;
    const path = `/sessions/${sessionId}/messages/${message.id}/read`;
    expect((await api(path, { method: 'POST', key: OTHER_KEY })).status).toBe(404);
    expect((await item(keys.message(sessionId, message.id)))!.isUnread).toBe(true);
    for (let i = 0; i < 2; i++) {
      const read = await api(path, { method: 'POST' });
      expect(read.status, read.text).toBe(200);
      expect(read.json).toEqual({ ...message, isUnread: false });
    }
    expect((await item(keys.message(sessionId, message.id)))!.isUnread).toBe(false);
    expect((await api(`/sessions/${sessionId}/messages/01KW3Q4ZJ2B9T8F0S6M1C5H7RD/read`, { method: 'POST' })).status).toBe(404);
    expect((await api(`${path}?format=xml`, { method: 'POST' })).text).toContain('<IsUnread>false</IsUnread>');
  });
});
