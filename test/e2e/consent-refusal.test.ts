import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { ulid } from 'ulid';
import { describe, expect, it } from 'vitest';
import { outgoingMessage } from '../../lib/domain/message-info.js';
import type { Session } from '../../lib/domain/session.js';
import { putMessage } from '../../lib/store/messages.js';
import { keys } from '../../lib/store/keys.js';
import { admin } from '../support/admin.js';
import { deliverable } from '../support/consent.js';
import { attribute, queueUrl, sqs, take } from '../support/queues.js';
import { allItems, api, item, OTHER_KEY, table } from '../support/stack.js';

/**
 * Every send path refuses an opted-out recipient (issue 24), and a message accepted before the
 * opt-out fails at hand-off (`consentGuard` in the send guards, lib/runtime/index.ts; `consentAtHandOff`
 * in dispatch, lib/runtime/delivery.ts). Uses the seed's acct_demo (ep_demo, demo-user-key, demo-integrator-token) and opts numbers
 * out with the CLI, so each test has its own recipient.
 */
const optOut = async (accountId: string, number: string) =>
  expect((await admin('optout', 'add', number, '--account', accountId, '--reason', 'test', '--by', 'e2e')).code).toBe(0);

describe('sends to an opted-out recipient', () => {
  it('refuses SendMessage with 409 RecipientOptedOut, stores nothing, and refuses nothing of another account', async () => {
    const to = deliverable();
    await optOut('acct_demo', to);
    const before = (await allItems()).length;
    const refused = await api('/messages', { body: { endpointId: 'ep_demo', toAddress: to, body: 'after STOP' } });
    expect(refused.status, refused.text).toBe(409);
    expect(refused.json.responseStatus).toMatchObject({ errorCode: 'RecipientOptedOut' });
    expect((await allItems()).length).toBe(before);
    // Tenant isolation: acct_other never opted this number out.
    const other = await api('/messages', { key: OTHER_KEY, body: { endpointId: 'ep_other', toAddress: to, body: 'still fine' } });
    expect(other.status, other.text).toBe(200);
  });

  it("refuses edna's outgoing-to-device with 409 in edna's error shape", async () => {
    const to = deliverable();
    await optOut('acct_demo', to);
    const res = await api('/api/v1/messages/outgoing-to-device', {
      key: 'demo-integrator-token',
      body: { text: 'after STOP', attachments: [], clientApplicationDescriptor: { channelType: 'SMS', deviceAddress: to.slice(1) } },
    });
    expect(res.status, res.text).toBe(409);
    expect(res.json).toMatchObject({ status: 409, error: 'Conflict' });
  });

  it('dead-letters an SQS send with the code recipient-opted-out', async () => {
    const to = deliverable();
    await optOut('acct_demo', to);
    const body = JSON.stringify({
      type: 'SendMessage',
      accountId: 'acct_demo',
      request: { endpointId: 'ep_demo', toAddress: to, body: 'after STOP' },
    });
    const { MessageId } = await sqs.send(new SendMessageCommand({ QueueUrl: await queueUrl('send'), MessageBody: body }));
    const [dead] = await take('send-dlq', (m) => m.Body === body, 1, 10_000);
    expect(dead && attribute(dead, 'code')).toBe('recipient-opted-out');
    expect(MessageId).toBeDefined();
  });

  it('fails a message accepted before the opt-out with OPTED_OUT at hand-off, never handing it off', async () => {
    const to = deliverable();
    const first = await api('/messages', { body: { endpointId: 'ep_demo', toAddress: to, body: 'before STOP' } });
    expect(first.status).toBe(200);
    await optOut('acct_demo', to);
    // A message accepted before the opt-out and not yet handed off (queued behind its sender): stored as a send stores it.
    // The peer item holds a copy of the pair's session.
    const session = (await item(keys.peer('ep_demo', to))) as unknown as Session;
    const queued = outgoingMessage(session, 'accepted before STOP', ulid(), new Date());
    await putMessage(table, queued);
    await expect.poll(async () => (await item(keys.delivery(queued.id)))?.status, { timeout: 20_000 }).toBe('failed');
    expect(await item(keys.delivery(queued.id))).toMatchObject({ errorCode: 'OPTED_OUT' });
    expect(await item(keys.carrierHandoff(queued.id))).toBeUndefined();
  });
});
