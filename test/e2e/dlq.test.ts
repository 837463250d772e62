import { CreateQueueCommand, DeleteMessageCommand, ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { runAdmin } from '../../scripts/admin/cli.js';
import { keys } from '../../lib/store/keys.js';
import { queueUrl, sqs } from '../support/queues.js';
import { api, item, storedWithText, table } from '../support/stack.js';

/**
 * `npm run admin -- dlq list|replay <queue>` against the stack's SQS emulator (fauxqs) and table, in
 * process: a replay run twice (or a dead letter that is there twice) adds nothing.
 */
async function dlq(...argv: string[]) {
  let out = '';
  let err = '';
  const code = await runAdmin(['dlq', ...argv, '--json'], () => ({ table, now: () => new Date(), sqs }), {
    out: (t) => (out += t),
    err: (t) => (err += t),
  });
  return { code, err, json: out ? JSON.parse(out) : undefined };
}

const text = (value: string) => ({ DataType: 'String', StringValue: value });

describe('dead-letter queues: list and replay', () => {
  it('replays a dead-lettered send with its first idempotency key and producer: twice, one message', async () => {
    // Earlier files' refusals wait in the same queue: emptied first, so that this test replays only its own.
    const dlqUrl = await queueUrl('send-dlq');
    for (;;) {
      const { Messages = [] } = await sqs.send(
        new ReceiveMessageCommand({ QueueUrl: dlqUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }),
      );
      if (!Messages.length) break;
      for (const m of Messages) await sqs.send(new DeleteMessageCommand({ QueueUrl: dlqUrl, ReceiptHandle: m.ReceiptHandle! }));
    }
    const body = `dead-lettered ${randomUUID()}`;
    const deadLetter = {
      QueueUrl: await queueUrl('send-dlq'),
      MessageBody: JSON.stringify({ type: 'SendMessage', accountId: 'acct_demo', request: { sessionId: 'ses_demo', body } }),
      // As send-from-queue dead-letters it: the reason, and the record's own id; the producer the emulator names.
      MessageAttributes: {
        code: text('unavailable'),
        reason: text('unavailable'),
        messageId: text(randomUUID()),
        senderId: text('000000000000'),
      },
    };
    await sqs.send(new SendMessageCommand(deadLetter));
    const listed = await dlq('list', 'send');
    expect(listed.code, listed.err).toBe(0);
    expect(listed.json).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'send', code: 'unavailable' })]));

    const first = await dlq('replay', 'send');
    expect(first.code, first.err).toBe(0);
    expect(first.json).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'send', outcome: 'replayed' })]));
    expect(await storedWithText(body)).toHaveLength(1);
    // The same dead letter again (an interrupted replay that never deleted it): replayed, nothing added.
    await sqs.send(new SendMessageCommand(deadLetter));
    expect((await dlq('replay', 'send')).json).toEqual(expect.arrayContaining([expect.objectContaining({ outcome: 'replayed' })]));
    expect(await storedWithText(body)).toHaveLength(1);
    expect((await dlq('list', 'send')).json.filter((r: { kind: string }) => r.kind === 'send')).toEqual([]);
  });

  it('replays a dispatch stream pointer by rewinding the sweeper: a message already delivered is not handed off again', async () => {
    await sqs.send(new CreateQueueCommand({ QueueName: `${table.name}-delivery-dlq` }));
    const sent = await api('/sessions/ses_demo/messages', { body: { body: `pointer ${randomUUID()}` } });
    const id: string = sent.json.id;
    await expect.poll(async () => (await item(keys.delivery(id)))?.status, { timeout: 20_000 }).toBe('delivered');
    const pointer = {
      QueueUrl: (await sqs.send(new CreateQueueCommand({ QueueName: `${table.name}-delivery-dlq` }))).QueueUrl!,
      MessageBody: JSON.stringify({
        requestContext: { condition: 'RetryAttemptsExhausted', approximateInvokeCount: 6 },
        DDBStreamBatchInfo: {
          shardId: 'shardId-1',
          startSequenceNumber: '1',
          endSequenceNumber: '1',
          approximateArrivalOfFirstRecord: sent.json.date ?? new Date().toISOString(),
          batchSize: 1,
          streamArn: 'arn:aws:dynamodb:us-east-1:000000000000:table/messaging-api-dev/stream/x',
        },
      }),
    };
    for (const round of [1, 2]) {
      await sqs.send(new SendMessageCommand(pointer));
      const replay = await dlq('replay', 'delivery');
      expect(replay.code, replay.err).toBe(0);
      expect(replay.json, `round ${round}`).toEqual([expect.objectContaining({ kind: 'stream-pointer', outcome: 'rewound' })]);
      expect(replay.json[0].sweeperFrom < id).toBe(true);
      // The stack's sweeper runs again from there, past the message, and leaves it as it was.
      await expect
        .poll(async () => String((await item(keys.sweepCheckpoint('sweeper', 'dispatch')))?.messageId) >= id, { timeout: 40_000 })
        .toBe(true);
      expect((await item(keys.carrierHandoff(id)))!).toMatchObject({ calls: 1 });
    }
  }, 120_000);

  it('refuses an unknown queue with usage', async () => {
    expect((await dlq('list', 'nope')).code).toBe(2);
  });
});
