import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sendQueueMaxReceiveCount } from '../../scripts/sqs-local.js';
import { attribute, eventually, queueUrl, sendQueueIsEmpty, sqs, take } from '../support/queues.js';
import { storedWithText, table } from '../support/stack.js';

/** What `aws sqs send-message --endpoint-url http://127.0.0.1:<SQS_PORT> --queue-url ...` does. */
const sendToQueue = async (body: object | string) =>
  (
    await sqs.send(
      new SendMessageCommand({ QueueUrl: await queueUrl('send'), MessageBody: typeof body === 'string' ? body : JSON.stringify(body) }),
    )
  ).MessageId!;

const toSession = (sessionId: string, text: string, extra: object = {}) => ({
  type: 'SendMessage',
  accountId: 'acct_demo',
  request: { sessionId, body: text },
  ...extra,
});

describe('the send queue, polled from a real SQS API', () => {
  it('stores a message sent to the queue', async () => {
    const text = `by sqs ${randomUUID()}`;
    await sendToQueue(toSession('ses_demo', text));
    expect(
      await eventually(
        () => storedWithText(text),
        (items) => items.length > 0,
      ),
    ).toHaveLength(1);
  });

  it('stores once a record sent twice with one idempotencyKey', async () => {
    const text = `sent twice ${randomUUID()}`;
    const record = toSession('ses_demo', text, { idempotencyKey: randomUUID() });
    await sendToQueue(record);
    await sendToQueue(record);
    await eventually(sendQueueIsEmpty, Boolean, 20_000);
    expect(await storedWithText(text)).toHaveLength(1);
  });

  it('retries a record failing transiently until the redrive policy dead-letters it, but a permanently refused one not at all', async () => {
    const tag = randomUUID();
    // A real fault on every attempt: a session item the store cannot read (an unexpected error, so retried).
    const sessionId = `ses_corrupt_${tag}`;
    await table.client.send(
      new PutCommand({
        TableName: table.name,
        Item: { pk: `SESSION#${sessionId}`, sk: 'SESSION', type: 'Session', sessionId, accountId: 'acct_demo' },
      }),
    );
    const transient = await sendToQueue(toSession(sessionId, `corrupt ${tag}`));
    const invalidBody = JSON.stringify(toSession('ses_demo', ''));
    const invalid = await sendToQueue(invalidBody);
    // Once the send queue is empty both records are settled, and every copy of them is in the DLQ.
    expect(await eventually(sendQueueIsEmpty, Boolean, 60_000)).toBe(true);
    const dead = await take('send-dlq', (m) => m.MessageId === transient || m.Body === invalidBody, 3, 5_000);
    expect(dead).toHaveLength(2);
    const byRedrive = dead.find((m) => m.MessageId === transient);
    // Moved by SQS after maxReceiveCount receives, so without the function's reason attributes.
    expect(byRedrive).toBeDefined();
    expect(byRedrive!.MessageAttributes ?? {}).toEqual({});
    // Its receive count carries over into the DLQ: delivered (and failed) maxReceiveCount times.
    expect(Number(byRedrive!.Attributes!.ApproximateReceiveCount)).toBeGreaterThan(sendQueueMaxReceiveCount());
    const refused = dead.filter((m) => m.Body === invalidBody);
    expect(refused).toHaveLength(1);
    expect(refused.map((m) => [attribute(m, 'messageId'), attribute(m, 'code'), attribute(m, 'receiveCount')])).toEqual([
      [invalid, 'invalid', '1'],
    ]);
  }, 90_000);
});
