import { marshall } from '@aws-sdk/util-dynamodb';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { randomUUID } from 'node:crypto';
import { ulid } from 'ulid';
import { afterEach, describe, expect, it } from 'vitest';
import { outgoingMessage } from '../../lib/domain/message-info.js';
import type { Session } from '../../lib/domain/session.js';
import { keys } from '../../lib/store/keys.js';
import { messageRecord } from '../../lib/store/messages.js';
import { calls, clearFaults, injectFault, resetCalls } from '../support/faults.js';
import { invokeFunction, item, randomPhone, table } from '../support/stack.js';

/**
 * Exactly once to the provider, under faults: the fault proxy between the functions and DynamoDB
 * loses answers of writes that landed, resets connections and answers errors, on the dispatcher's
 * claim and outcome writes and on the simulated carrier's own records (a provider fault); stream
 * records are redelivered and dispatched concurrently. Every check reads the carrier's records: how
 * many calls it got, and that it handed the message off once.
 */
afterEach(clearFaults);

const demo = (await item(keys.session('ses_demo'))) as unknown as Session;

/** A new outgoing message stored as a send stores it (the stream passes it to dispatch); `digits` choose the carrier's scenario. */
async function storeMessage(digits = '00') {
  const session = { ...demo, otherAddress: `${randomPhone().slice(0, -2)}${digits}` };
  const message = outgoingMessage(session, `fault ${randomUUID()}`, ulid(), new Date());
  return { message, write: () => table.client.send(new PutCommand({ TableName: table.name, Item: messageRecord(message) })) };
}

/** The stream record of that message, as Lambda hands it to dispatch (`eventID` as given). */
const streamRecord = (message: ReturnType<typeof outgoingMessage>, eventID: string) => ({
  eventID,
  eventName: 'INSERT',
  eventSource: 'aws:dynamodb',
  dynamodb: {
    SequenceNumber: String(Date.now()),
    NewImage: marshall(messageRecord(message), { removeUndefinedValues: true }),
    StreamViewType: 'NEW_IMAGE',
  },
});
const dispatchDirectly = async (message: ReturnType<typeof outgoingMessage>, eventID: string) =>
  (await invokeFunction('dispatch', { Records: [streamRecord(message, eventID)] })).json();

async function delivered(messageId: string) {
  await expect.poll(async () => (await item(keys.delivery(messageId)))?.status, { timeout: 25_000, interval: 100 }).toBe('delivered');
  return (await item(keys.delivery(messageId)))!;
}
const handoff = async (messageId: string) => (await item(keys.carrierHandoff(messageId)))!;
const applied = (history: { status: string; applied: boolean }[]) => history.filter((h) => h.applied).map((h) => h.status);

/**
 * One hand-off: the carrier accepted once, the delivery names that hand-off, one set of reports was
 * taken. When a fault delays the dispatcher's own record of the hand-off, the carrier's report can
 * overtake it: `sent` then comes after `delivered` (kept, not applied) or not at all.
 */
async function expectOneHandOff(messageId: string) {
  const delivery = await delivered(messageId);
  const carrier = await handoff(messageId);
  expect(carrier.handedOffAt).toBeDefined();
  expect(delivery.providerMessageId).toBe(carrier.providerMessageId);
  expect(applied(delivery.history).filter((status) => status !== 'sent')).toEqual(['accepted', 'sending', 'delivered']);
  expect(delivery.history.filter((h: { status: string }) => h.status === 'delivered')).toHaveLength(1);
  return { delivery, carrier };
}

describe('stream redelivery, retries and concurrent dispatchers', () => {
  it('a message dispatched by the stream and by five concurrent invocations of one record is handed off once', async () => {
    const { message, write } = await storeMessage();
    await write();
    const eventID = `duplicate-${randomUUID()}`;
    const answers = await Promise.all(Array.from({ length: 5 }, () => dispatchDirectly(message, eventID)));
    for (const answer of answers) expect(answer).toEqual({ batchItemFailures: [] });
    await expectOneHandOff(message.id);
  });

  it('a record redelivered after its message was delivered changes nothing and calls no one', async () => {
    const { message, write } = await storeMessage();
    await write();
    const { delivery, carrier } = await expectOneHandOff(message.id);
    await resetCalls();
    for (const eventID of [`late-${randomUUID()}`, delivery.attemptId])
      expect(await dispatchDirectly(message, eventID)).toEqual({ batchItemFailures: [] });
    expect(await handoff(message.id)).toEqual(carrier);
    expect((await item(keys.delivery(message.id)))!.history).toEqual(delivery.history);
    expect(await calls({ keyPrefix: 'CARRIER#' })).toEqual([]);
  });

  it('a poison record is retried a bounded number of times and never holds back the message after it', async () => {
    const poison = await storeMessage();
    const next = await storeMessage();
    await injectFault({ keyPrefix: `DELIVERY#${poison.message.id}`, action: 'reset' });
    await poison.write();
    await next.write();
    await expectOneHandOff(next.message.id);
    expect(await item(keys.carrierHandoff(poison.message.id))).toBeUndefined();
  });
});

describe('ambiguous and failed writes of the dispatcher', () => {
  it('the claim lands but its answer is lost: the SDK retry recognises its own claim and the message is handed off once', async () => {
    const { message, write } = await storeMessage();
    await injectFault({ operation: 'PutItem', keyPrefix: `DELIVERY#${message.id}`, action: 'drop-response', times: 1 });
    await write();
    const { carrier } = await expectOneHandOff(message.id);
    expect(carrier.calls).toBe(1);
  });

  it("the claim lands and every answer of it is lost: read back, found this invocation's, handed off by the same invocation", async () => {
    // Not written to the table: only this invocation dispatches it.
    const { message } = await storeMessage();
    await injectFault({ operation: 'PutItem', keyPrefix: `DELIVERY#${message.id}`, action: 'drop-response', times: 2 });
    expect(await dispatchDirectly(message, `lost-claim-${randomUUID()}`)).toEqual({ batchItemFailures: [] });
    const { carrier } = await expectOneHandOff(message.id);
    expect(carrier.calls).toBe(1);
  }, 40_000);

  it('the outcome write fails after the hand-off: the retried record resends with the token and the carrier hands off nothing twice', async () => {
    const { message, write } = await storeMessage();
    await injectFault({ operation: 'UpdateItem', keyPrefix: `DELIVERY#${message.id}`, action: 'reset', times: 2 });
    await write();
    const { carrier } = await expectOneHandOff(message.id);
    expect(carrier.calls).toBeLessThanOrEqual(2);
  });
});

describe('provider faults', () => {
  it("the carrier's hand-off lands but its answer is lost: the message is asked for again with its token, handed off once", async () => {
    const { message, write } = await storeMessage();
    await injectFault({
      operation: 'TransactWriteItems',
      keyPrefix: 'CARRIER#',
      sortKeyPrefix: `HANDOFF#${message.id}`,
      action: 'drop-response',
      times: 2,
    });
    await write();
    // Its reports may settle the message before the dispatcher, waiting out the lost answer, asks again.
    await expect.poll(async () => (await item(keys.carrierHandoff(message.id)))?.calls, { timeout: 20_000, interval: 200 }).toBe(2);
    await expect
      .poll(async () => (await item(keys.delivery(message.id)))!.history.some((h: { status: string }) => h.status === 'sent'), {
        timeout: 10_000,
      })
      .toBe(true);
    await expectOneHandOff(message.id);
  }, 40_000);

  it('the carrier answers 5xx before taking the call: retried with backoff, handed off once', async () => {
    const { message, write } = await storeMessage();
    await injectFault({
      operation: 'UpdateItem',
      keyPrefix: 'CARRIER#',
      sortKeyPrefix: `HANDOFF#${message.id}`,
      action: 'error',
      status: 500,
      errorType: 'InternalServerError',
      times: 2,
    });
    await write();
    const { carrier } = await expectOneHandOff(message.id);
    expect(carrier.calls).toBe(1);
  });
});
