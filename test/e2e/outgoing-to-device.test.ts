import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { api, expectNothingStored, randomPhone, storedWithText as storedMessages } from '../support/stack.js';

const phone = () => randomPhone('7900');

const PATH = '/api/v1/messages/outgoing-to-device';
const INTEGRATOR = 'demo-integrator-token';
const send = (body: unknown, key: string | null = INTEGRATOR, headers: Record<string, string> = {}) =>
  api(PATH, {
    method: 'POST',
    body: typeof body === 'string' ? body : JSON.stringify(body),
    key,
    headers: { 'content-type': 'application/json', ...headers },
  });
const positiveSafe = (n: unknown) => typeof n === 'number' && Number.isSafeInteger(n) && n > 0;

describe('POST /api/v1/messages/outgoing-to-device', () => {
  it('sends the seed WhatsApp example verbatim', async () => {
    const res = await send(
      '{ "text": "message", "attachments": [], "clientApplicationDescriptor": { "channelType": "WHATSAPP", "deviceAddress": "89000000000" } }',
    );
    expect(res.status).toBe(200);
    expect(Object.keys(res.json).sort()).toEqual(['agentId', 'clientExternalId', 'clientId', 'id', 'threadId']);
    expect(res.json).toMatchObject({ clientExternalId: null, agentId: 1001 });
    for (const field of ['id', 'threadId', 'clientId', 'agentId']) expect(positiveSafe(res.json[field])).toBe(true);
  });

  it('sends the seed mobile example verbatim, echoing the external client id', async () => {
    const res = await send(
      '{ "text": "message", "attachments": [], "clientApplicationDescriptor": { "channelType": "MOBILE", "clientId": "012-3456-7890-12", "appMarker": "myApp", "deviceAddress": "wsfck62auiv00gz14vedivwptm09ahmrhz" } }',
      'demo-operator-token',
    );
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ clientExternalId: '012-3456-7890-12', agentId: 1002 });
  });

  it('gives the same device the same clientId and thread, a new id per message, and stores each MessageInfo', async () => {
    const device = phone();
    const text = `edna ${randomUUID()}`;
    const first = await send({ text, clientApplicationDescriptor: { channelType: 'WHATSAPP', deviceAddress: device } });
    const second = await send({ text, applicationDescriptor: { channelType: 'WHATSAPP', deviceAddress: device } });
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(second.json.clientId).toBe(first.json.clientId);
    expect(second.json.threadId).toBe(first.json.threadId);
    expect(second.json.id).not.toBe(first.json.id);
    const stored = await storedMessages(text);
    expect(stored).toHaveLength(2);
    expect(stored[0]).toMatchObject({
      accountId: 'acct_demo',
      direction: 'Outgoing',
      otherAddress: device,
      isUnread: false,
      sessionId: `thread-${first.json.threadId}`,
    });
    expect(stored.map((m) => (m.edna as { id: number }).id).sort()).toEqual([first.json.id, second.json.id].sort());

    // The thread is a session: the Evo Voice list shows its messages.
    const list = await api(`/sessions/thread-${first.json.threadId}/messages`);
    expect(list.json.results.map((m: { text: string }) => m.text)).toEqual([text, text]);
  });

  it('stores an attachment-only message with the attachment names as its text', async () => {
    const name = `${randomUUID()}.pdf`;
    const res = await send({
      attachments: [{ url: 'https://files.example.com/a.pdf', name, mimeType: 'application/pdf', size: 1024 }],
      clientApplicationDescriptor: { channelType: 'TELEGRAM', deviceAddress: '@someone' },
    });
    expect(res.status).toBe(200);
    expect(await storedMessages(`[attachment: ${name}]`)).toHaveLength(1);
  });

  it('ends many parallel sends to one new device in one client and one thread, with distinct ids', async () => {
    const device = phone();
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        send({ text: `parallel ${i}`, clientApplicationDescriptor: { channelType: 'SMS', deviceAddress: device } }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(Array(12).fill(200));
    expect(new Set(results.map((r) => r.json.id)).size).toBe(12);
    expect(new Set(results.map((r) => r.json.clientId)).size).toBe(1);
    expect(new Set(results.map((r) => r.json.threadId)).size).toBe(1);
  });

  it('replays a send with the same Idempotency-Key', async () => {
    const key = randomUUID();
    const body = { text: `idem ${key}`, clientApplicationDescriptor: { channelType: 'WHATSAPP', deviceAddress: phone() } };
    const first = await send(body, INTEGRATOR, { 'idempotency-key': key });
    const again = await send(body, INTEGRATOR, { 'idempotency-key': key });
    expect(again.json).toEqual(first.json);
    expect(await storedMessages(body.text)).toHaveLength(1);
  });

  describe('refuses, storing nothing', () => {
    const descriptor = { channelType: 'WHATSAPP', deviceAddress: '79001234567' };
    const refusals: [string, unknown, string | undefined][] = [
      ['no descriptor', { text: 'x' }, 'clientApplicationDescriptor'],
      [
        'both descriptor spellings',
        { text: 'x', clientApplicationDescriptor: descriptor, applicationDescriptor: descriptor },
        'applicationDescriptor',
      ],
      [
        'an unknown channelType',
        { text: 'x', clientApplicationDescriptor: { ...descriptor, channelType: 'PIGEON' } },
        'clientApplicationDescriptor.channelType',
      ],
      [
        'a missing deviceAddress',
        { text: 'x', clientApplicationDescriptor: { channelType: 'WHATSAPP' } },
        'clientApplicationDescriptor.deviceAddress',
      ],
      [
        'a WhatsApp deviceAddress that is not digits',
        { text: 'x', applicationDescriptor: { channelType: 'WHATSAPP', deviceAddress: '+7 900 123' } },
        'applicationDescriptor.deviceAddress',
      ],
      ['neither text nor attachments', { text: '  ', attachments: [], clientApplicationDescriptor: descriptor }, 'text'],
      ['a number as text', { text: 5, clientApplicationDescriptor: descriptor }, 'text'],
      [
        'an http attachment URL',
        { attachments: [{ url: 'http://x.example/a', name: 'a', mimeType: 'text/plain' }], clientApplicationDescriptor: descriptor },
        'attachments[0].url',
      ],
      ['an unknown field at the top', { text: 'x', deviceAddress: '1', clientApplicationDescriptor: descriptor }, 'deviceAddress'],
      [
        'an unknown field in the descriptor',
        { text: 'x', clientApplicationDescriptor: { ...descriptor, text: 'x' } },
        'clientApplicationDescriptor.text',
      ],
      ['malformed JSON', '{"text":', undefined],
    ];
    it.each(refusals)('%s: 400 naming the field', async (_name, body, field) => {
      const res = await expectNothingStored(() => send(body));
      expect(res.status).toBe(400);
      expect(res.json).toMatchObject({ status: 400, error: 'Bad Request', path: PATH });
      expect(typeof res.json.message).toBe('string');
      if (field) expect(res.json.errors.map((e: { field: string }) => e.field)).toContain(field);
    });

    it.each([
      ['no token', null, 401],
      ['an unknown token', 'nope', 401],
      ['an Evo Voice User key', 'demo-user-key', 403],
    ] as const)('%s: %i', async (_name, key, status) => {
      const res = await expectNothingStored(() => send({ text: 'x', clientApplicationDescriptor: descriptor }, key));
      expect(res.status).toBe(status);
      expect(res.json).toMatchObject({ status, path: PATH });
    });
  });
});
