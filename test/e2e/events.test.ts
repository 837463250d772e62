import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { attribute, eventually, take } from '../support/queues.js';
import { expectNothingStored, invokeFunction, ports, storedWithText } from '../support/stack.js';

/** The SQS emulator's SenderId, bound to both demo accounts by the seed. */
const LOCAL_SENDER = '000000000000';

/** The queue function through serverless-offline's Lambda invoke API, as SQS would call it. */
async function invokeQueue(records: { messageId: string; body: string }[], senderId = LOCAL_SENDER) {
  const event = {
    Records: records.map((r) => ({
      ...r,
      receiptHandle: `rh-${r.messageId}`,
      attributes: { SenderId: senderId, ApproximateReceiveCount: '1' },
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

/** The send-dlq copies of these deliveries (the function's own dead-lettering names the message id). */
const deadLetteredAs = (ids: string[]) => take('send-dlq', (m) => ids.includes(attribute(m, 'messageId')!), ids.length);

describe('send-from-queue', () => {
  it('sends the good records of a batch and dead-letters the permanently bad ones at once, reporting none for retry', async () => {
    const tag = randomUUID();
    const records = [
      { messageId: `good-1-${tag}`, body: sendToDemo(`good 1 ${tag}`) },
      { messageId: `not-json-${tag}`, body: '{"type":' },
      { messageId: `no-account-${tag}`, body: JSON.stringify({ type: 'SendMessage', request: { sessionId: 'ses_demo', body: 'x' } }) },
      { messageId: `unknown-account-${tag}`, body: sendToDemo(`bad ${tag}`, { accountId: 'acct_nope' }) },
      { messageId: `unknown-type-${tag}`, body: sendToDemo(`bad ${tag}`, { type: 'Shout' }) },
      { messageId: `empty-text-${tag}`, body: sendToDemo('') },
      {
        messageId: `other-tenant-${tag}`,
        body: JSON.stringify({ type: 'SendMessage', accountId: 'acct_other', request: { sessionId: 'ses_demo', body: `bad ${tag}` } }),
      },
      {
        messageId: `good-2-${tag}`,
        body: JSON.stringify({
          type: 'SendMessage',
          accountId: 'acct_demo',
          request: { endpointId: 'ep_demo', toAddress: '+1 555 777 8888', body: `good 2 ${tag}` },
        }),
      },
    ];
    const { batchItemFailures } = await invokeQueue(records);
    expect(batchItemFailures).toEqual([]);
    const bad = [
      `not-json-${tag}`,
      `no-account-${tag}`,
      `unknown-account-${tag}`,
      `unknown-type-${tag}`,
      `empty-text-${tag}`,
      `other-tenant-${tag}`,
    ];
    const dead = await deadLetteredAs(bad);
    expect(dead.map((m) => attribute(m, 'messageId')).sort()).toEqual(bad.sort());
    expect(Object.fromEntries(dead.map((m) => [attribute(m, 'messageId'), attribute(m, 'code')]))).toEqual({
      [`not-json-${tag}`]: 'invalid',
      [`no-account-${tag}`]: 'invalid',
      // No producer is bound to an account that does not exist: refused before the account is looked up.
      [`unknown-account-${tag}`]: 'forbidden',
      [`unknown-type-${tag}`]: 'invalid',
      [`empty-text-${tag}`]: 'invalid',
      [`other-tenant-${tag}`]: 'not-found',
    });
    expect(dead.find((m) => attribute(m, 'messageId') === `not-json-${tag}`)!.Body).toBe('{"type":');
    expect(await storedWithText(`good 1 ${tag}`)).toHaveLength(1);
    expect(await storedWithText(`good 2 ${tag}`)).toEqual([expect.objectContaining({ otherAddress: '+15557778888' })]);
    expect(await storedWithText(`bad ${tag}`)).toHaveLength(0);
  });

  it('sends OutgoingToDevice records like the edna route', async () => {
    const text = `edna by queue ${randomUUID()}`;
    const body = JSON.stringify({
      type: 'OutgoingToDevice',
      accountId: 'acct_demo',
      request: { text, applicationDescriptor: { channelType: 'VIBER', deviceAddress: '79001112233' } },
    });
    expect((await invokeQueue([{ messageId: randomUUID(), body }])).batchItemFailures).toEqual([]);
    expect(await storedWithText(text)).toEqual([
      expect.objectContaining({ otherAddress: '79001112233', edna: expect.objectContaining({ id: expect.any(Number) }) }),
    ]);
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

describe('event producers bound to tenants', () => {
  it('dead-letters, storing nothing, a record from an unbound sender or naming a tenant its sender is not bound to', async () => {
    const tag = randomUUID();
    const unbound = { messageId: `unbound-${tag}`, body: sendToDemo(`bad ${tag}`) };
    const otherTenant = {
      messageId: `other-tenant-${tag}`,
      body: JSON.stringify({ type: 'SendMessage', accountId: 'acct_other', request: { sessionId: 'ses_other', body: `bad ${tag}` } }),
    };
    await expectNothingStored(async () => {
      expect((await invokeQueue([unbound], 'AIDASTRANGER')).batchItemFailures).toEqual([]);
      // AIDADEMOONLY is bound to acct_demo only; the emulator's sender (both accounts) may send this very record.
      expect((await invokeQueue([otherTenant], 'AIDADEMOONLY:some-session')).batchItemFailures).toEqual([]);
    });
    const dead = await deadLetteredAs([unbound.messageId, otherTenant.messageId]);
    expect(dead.map((m) => [attribute(m, 'code'), attribute(m, 'reason')])).toEqual([
      ['forbidden', 'UnboundProducer'],
      ['forbidden', 'UnboundProducer'],
    ]);
    expect(
      (await invokeQueue([{ messageId: randomUUID(), body: sendToDemo(`bound ${tag}`) }], 'AIDADEMOONLY:some-session')).batchItemFailures,
    ).toEqual([]);
    expect(await storedWithText(`bound ${tag}`)).toHaveLength(1);
  });

  it('dead-letters an event from an account or source not bound to its tenant, and one whose detail names its own type', async () => {
    const tag = randomUUID();
    const event = (id: string, account: string, source: string, detail: object) => ({
      version: '0',
      id,
      'detail-type': 'SendMessage',
      source,
      account,
      time: new Date().toISOString(),
      region: 'us-east-1',
      resources: [],
      detail: { accountId: 'acct_demo', request: { sessionId: 'ses_demo', body: `bad ${tag}` }, ...detail },
    });
    await expectNothingStored(async () => {
      for (const e of [
        event(`account-${tag}`, '999999999999', 'messaging-api', {}),
        event(`source-${tag}`, '000000000000', 'someone-else', {}),
        event(`typed-${tag}`, '000000000000', 'messaging-api', { type: 'OutgoingToDevice' }),
      ]) {
        const response = await invokeFunction('send-from-event', e);
        expect(response.status).toBe(200);
        expect(await response.text()).not.toContain('errorMessage');
      }
    });
    const dead = await take('event-dlq', (m) => attribute(m, 'eventId')?.endsWith(tag) ?? false, 3);
    expect(Object.fromEntries(dead.map((m) => [attribute(m, 'eventId'), attribute(m, 'reason')]))).toEqual({
      [`account-${tag}`]: 'UnboundProducer',
      [`source-${tag}`]: 'UnboundProducer',
      [`typed-${tag}`]: 'UnknownField',
    });
    expect(JSON.parse(dead[0]!.Body!)).toMatchObject({ 'detail-type': 'SendMessage' });
  });
});

describe('send-from-event', () => {
  const bus = new EventBridgeClient({ endpoint: `http://127.0.0.1:${ports.eventbridge}` });
  const put = (detailType: string, detail: object) =>
    bus.send(
      new PutEventsCommand({
        Entries: [{ EventBusName: 'messaging-api-dev', Source: 'messaging-api', DetailType: detailType, Detail: JSON.stringify(detail) }],
      }),
    );

  it('sends an event put on the local bus, once per idempotencyKey however often it is put', async () => {
    const text = `event ${randomUUID()}`;
    const detail = { accountId: 'acct_demo', idempotencyKey: randomUUID(), request: { sessionId: 'ses_demo', body: text } };
    await put('SendMessage', detail);
    await put('SendMessage', detail);
    const stored = await eventually(
      () => storedWithText(text),
      (items) => items.length > 0,
    );
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
