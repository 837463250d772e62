import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { invokeFunction, ports, storedWithText } from '../support/stack.js';

/** The queue function through serverless-offline's Lambda invoke API, as SQS would call it. */
async function invokeQueue(records: { messageId: string; body: string }[]) {
  const event = {
    Records: records.map((r) => ({
      ...r,
      receiptHandle: `rh-${r.messageId}`,
      attributes: {},
      messageAttributes: {},
      md5OfBody: '',
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:messaging-api-dev-send',
      awsRegion: 'us-east-1',
    })),
  };
  const response = await invokeFunction('send-from-queue', event);
  expect(response.status).toBe(200);
  return (await response.json()) as { batchItemFailures: { itemIdentifier: string }[] };
}

const sendToDemo = (text: string, extra: object = {}) =>
  JSON.stringify({ type: 'SendMessage', accountId: 'acct_demo', request: { sessionId: 'ses_demo', body: text }, ...extra });

async function eventually<T>(probe: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('send-from-queue', () => {
  it('sends the good records of a batch and reports exactly the bad ones', async () => {
    const tag = randomUUID();
    const records = [
      { messageId: `good-1-${tag}`, body: sendToDemo(`good 1 ${tag}`) },
      { messageId: `not-json-${tag}`, body: '{"type":' },
      { messageId: `no-account-${tag}`, body: JSON.stringify({ type: 'SendMessage', request: { sessionId: 'ses_demo', body: 'x' } }) },
      { messageId: `unknown-account-${tag}`, body: sendToDemo(`bad ${tag}`, { accountId: 'acct_nope' }) },
      { messageId: `unknown-type-${tag}`, body: sendToDemo(`bad ${tag}`, { type: 'Shout' }) },
      { messageId: `empty-text-${tag}`, body: sendToDemo('') },
      { messageId: `other-tenant-${tag}`, body: JSON.stringify({ type: 'SendMessage', accountId: 'acct_other', request: { sessionId: 'ses_demo', body: `bad ${tag}` } }) },
      {
        messageId: `good-2-${tag}`,
        body: JSON.stringify({ type: 'SendMessage', accountId: 'acct_demo', request: { endpointId: 'ep_demo', toAddress: '+1 555 777 8888', body: `good 2 ${tag}` } }),
      },
    ];
    const { batchItemFailures } = await invokeQueue(records);
    expect(batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual(
      [`not-json-${tag}`, `no-account-${tag}`, `unknown-account-${tag}`, `unknown-type-${tag}`, `empty-text-${tag}`, `other-tenant-${tag}`].sort(),
    );
    expect(await storedWithText(`good 1 ${tag}`)).toHaveLength(1);
    expect(await storedWithText(`good 2 ${tag}`)).toEqual([expect.objectContaining({ otherAddress: '+15557778888' })]);
    expect(await storedWithText(`bad ${tag}`)).toHaveLength(0);
  });

  it('sends OutgoingToDevice records like the edna route', async () => {
    const text = `edna by queue ${randomUUID()}`;
    const body = JSON.stringify({ type: 'OutgoingToDevice', accountId: 'acct_demo', request: { text, applicationDescriptor: { channelType: 'VIBER', deviceAddress: '79001112233' } } });
    expect((await invokeQueue([{ messageId: randomUUID(), body }])).batchItemFailures).toEqual([]);
    expect(await storedWithText(text)).toEqual([expect.objectContaining({ otherAddress: '79001112233', edna: expect.objectContaining({ id: expect.any(Number) }) })]);
  });

  it('stores a record delivered three times once', async () => {
    const text = `redelivered ${randomUUID()}`;
    const record = { messageId: randomUUID(), body: sendToDemo(text) };
    for (let i = 0; i < 3; i++) expect((await invokeQueue([record])).batchItemFailures).toEqual([]);
    expect(await storedWithText(text)).toHaveLength(1);
  });

  it('uses idempotencyKey over the message id, so two messages with one key store one', async () => {
    const text = `keyed ${randomUUID()}`;
    const key = randomUUID();
    await invokeQueue([
      { messageId: randomUUID(), body: sendToDemo(text, { idempotencyKey: key }) },
      { messageId: randomUUID(), body: sendToDemo(text, { idempotencyKey: key }) },
    ]);
    expect(await storedWithText(text)).toHaveLength(1);
  });
});

describe('send-from-event', () => {
  const bus = new EventBridgeClient({ endpoint: `http://127.0.0.1:${ports.eventbridge}` });
  const put = (detailType: string, detail: object) =>
    bus.send(new PutEventsCommand({ Entries: [{ Source: 'messaging-api', DetailType: detailType, Detail: JSON.stringify(detail) }] }));

  it('sends an event put on the local bus, once per idempotencyKey however often it is put', async () => {
    const text = `event ${randomUUID()}`;
    const detail = { accountId: 'acct_demo', idempotencyKey: randomUUID(), request: { sessionId: 'ses_demo', body: text } };
    await put('SendMessage', detail);
    await put('SendMessage', detail);
    const stored = await eventually(() => storedWithText(text), (items) => items.length > 0);
    expect(stored).toHaveLength(1);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(await storedWithText(text)).toHaveLength(1);
  });

  it('stores nothing for an invalid event', async () => {
    const text = `invalid event ${randomUUID()}`;
    await put('SendMessage', { accountId: 'acct_nope', request: { sessionId: 'ses_demo', body: text } });
    await put('SendMessage', { accountId: 'acct_demo', request: { sessionId: 'ses_demo', body: text, toAddress: 5 } });
    await new Promise((resolve) => setTimeout(resolve, 2000));
    expect(await storedWithText(text)).toHaveLength(0);
  });
});
