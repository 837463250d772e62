import { describe, expect, it } from 'vitest';
import type { Message } from '@aws-sdk/client-sqs';
import { attribute, take } from '../support/queues.js';
import { api, expectNothingStored, invokeFunction } from '../support/stack.js';

const asOther = { key: 'other-user-key' };
const invoke = (fn: string, event: unknown) => invokeFunction(fn, event).then((r) => r.json());

/** acct_other's key (or acct_other's events) against acct_demo's session ses_demo and endpoint ep_demo. */
describe("tenancy: no route reads or writes another account's session or endpoint", () => {
  const attempts: [string, () => Promise<{ status: number }>][] = [
    ['send-to-session into their session', () => api('/sessions/ses_demo/messages', { ...asOther, body: { body: 'x' } })],
    ['send-to-endpoint into their session', () => api('/messages', { ...asOther, body: { sessionId: 'ses_demo', body: 'x' } })],
    [
      'send-to-endpoint from their endpoint, known peer',
      () => api('/messages', { ...asOther, body: { endpointId: 'ep_demo', toAddress: '+15556667777', body: 'x' } }),
    ],
    [
      'send-to-endpoint from their endpoint, new peer',
      () => api('/messages', { ...asOther, body: { endpointId: 'ep_demo', toAddress: '+15551234567', body: 'x' } }),
    ],
    ['send-to-endpoint by query string', () => api('/messages?sessionId=ses_demo&body=x', { ...asOther, method: 'DELETE' })],
    ['list-messages of their session', () => api('/sessions/ses_demo/messages', asOther)],
  ];
  it.each(attempts)('%s: 404, nothing stored', async (_name, attempt) => {
    const res = await expectNothingStored(attempt);
    expect(res.status).toBe(404);
  });

  it("outgoing-to-device: one account's device is another account's new client, never its thread", async () => {
    const body = { text: 'tenancy', clientApplicationDescriptor: { channelType: 'WHATSAPP', deviceAddress: '79005550000' } };
    const mine = await api('/api/v1/messages/outgoing-to-device', { body, key: 'demo-integrator-token' });
    expect(mine.status).toBe(200);
    const list = await expectNothingStored(() => api(`/sessions/thread-${mine.json.threadId}/messages`, asOther));
    expect(list.status).toBe(404);
  });

  it('list-messages shows nothing of theirs', async () => {
    const res = await api('/sessions/ses_other/messages', asOther);
    expect(res.status).toBe(200);
    for (const m of res.json.results) expect(m.accountId).toBe('acct_other');
  });

  it("events of one account cannot send into another's session or endpoint", async () => {
    const commands = [
      { type: 'SendMessage', accountId: 'acct_other', request: { sessionId: 'ses_demo', body: 'x' } },
      { type: 'SendMessage', accountId: 'acct_other', request: { endpointId: 'ep_demo', toAddress: '+15557654321', body: 'x' } },
    ];
    // From the local producers, which are bound to both accounts: the refusal is the send's own.
    const tag = Math.random().toString(36).slice(2);
    await expectNothingStored(async () => {
      const Records = commands.map((c, i) => ({
        messageId: `tenancy-${i}-${tag}`,
        attributes: { SenderId: '000000000000' },
        body: JSON.stringify(c),
      }));
      const queue = await invoke('send-from-queue', { Records });
      expect(queue.batchItemFailures).toEqual([]);
      for (const [i, { type, ...detail }] of commands.entries()) {
        const result = await invokeFunction('send-from-event', {
          id: `tenancy-${i}-${tag}`,
          'detail-type': type,
          source: 'messaging-api',
          account: '000000000000',
          detail,
        });
        expect(await result.text()).not.toContain('errorMessage');
      }
    });
    const mine = (name: string) => (m: Message) => attribute(m, name)?.endsWith(tag) ?? false;
    for (const [queue, id] of [
      ['send-dlq', 'messageId'],
      ['event-dlq', 'eventId'],
    ] as const) {
      expect((await take(queue, mine(id), commands.length)).map((m) => attribute(m, 'code'))).toEqual(commands.map(() => 'not-found'));
    }
  });
});
