import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  GetQueueUrlCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
  type Message,
} from '@aws-sdk/client-sqs';
import type { EventBridgeEvent, SQSRecord } from 'aws-lambda';
import { runCommand, type CommandDeps } from '../../lib/domain/commands.js';
import { isDomainError } from '../../lib/domain/errors.js';
import { phoneNumbers } from '../../lib/domain/phone.js';
import { loadConfig } from '../../lib/runtime/config.js';
import { accountStore, ednaDeps, producerStore, sendDeps } from '../../lib/runtime/index.js';
import { rewindSweep } from '../../lib/store/sweep.js';
import { commandFromEventBridge, commandFromSqs, producerOfEvent, producerOfSqs } from '../../lib/wire/events.js';
import type { AdminContext } from './actions.js';

/**
 * `dlq list <queue>` and `dlq replay <queue>` (docs/operations.md, "Dead-letter queues"): each
 * dead-letter queue's records, and their replay through the same rules that make a redelivery safe,
 * so a replay run twice (or interrupted and run again) adds nothing:
 * - send, event: the send is run again here, with the producer and idempotency key it first had
 *   (`sqs:<message id>`, `event:<event id>`): a send already stored is found, not stored again.
 * - callbacks: a job goes back on the callback queue for a fresh schedule, under its own webhook-id
 *   (receivers deduplicate on it).
 * - delivery: a stream pointer (the shard and sequence numbers of a failed dispatch batch, no message)
 *   rewinds the sweeper to just before the batch's first record; its next run re-dispatches every
 *   message of that time with no delivery or a stale claim, under dispatch's claim rules.
 * What can not be replayed is left in the queue, and said why.
 */
export const DLQS = { send: 'send-dlq', event: 'event-dlq', callbacks: 'callback-dlq', delivery: 'delivery-dlq' } as const;
export type DlqName = keyof typeof DLQS;

export interface DlqContext extends AdminContext {
  /** The SQS API: the local emulator unless --stage (then AWS, with the caller's credentials). */
  sqs?: SQSClient;
}

/** Records hidden from other readers while one command holds them; released at its end. */
const HOLD_SECONDS = 60;
/** The sweeper's pass is rewound this much before a pointer's first record (clocks and the index's own lag). */
const REWIND_SLACK_MS = 60_000;

type Kind = 'send' | 'event' | 'callback-job' | 'stream-pointer' | 'async-failure' | 'unreadable';

interface Record_ {
  message: Message;
  kind: Kind;
  body: Record<string, unknown> | undefined;
}

const sqsOf = ({ sqs, deployed }: DlqContext) =>
  sqs ?? new SQSClient(deployed ? {} : { endpoint: process.env.SQS_ENDPOINT || `http://127.0.0.1:${process.env.SQS_PORT ?? 9324}` });

export const isDlq = (name: string): name is DlqName => Object.hasOwn(DLQS, name);

/** Queues are named like the table: messaging-api-<stage>-<name>. */
const queueUrl = async (sqs: SQSClient, table: string, name: string) =>
  (await sqs.send(new GetQueueUrlCommand({ QueueName: `${table}-${name}` }))).QueueUrl!;

function classify(queue: DlqName, message: Message): Record_ {
  let body: Record<string, unknown> | undefined;
  try {
    const parsed: unknown = JSON.parse(message.Body ?? '');
    body = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    body = undefined;
  }
  const kind: Kind = !body
    ? 'unreadable'
    : 'DDBStreamBatchInfo' in body
      ? 'stream-pointer'
      : 'requestPayload' in body && queue !== 'event'
        ? 'async-failure'
        : queue === 'send'
          ? 'send'
          : queue === 'event'
            ? 'event'
            : queue === 'callbacks' && 'webhookId' in body
              ? 'callback-job'
              : 'unreadable';
  return { message, kind, body };
}

/** Every record of the queue (up to `max`), held while read; `work` decides each one's fate. */
async function eachRecord(
  context: DlqContext,
  queue: DlqName,
  max: number,
  work: (record: Record_) => Promise<{ done: boolean; [detail: string]: unknown }>,
) {
  const sqs = sqsOf(context);
  const url = await queueUrl(sqs, context.table.name, DLQS[queue]);
  const results: Record<string, unknown>[] = [];
  const kept: Message[] = [];
  try {
    while (results.length < max) {
      const { Messages = [] } = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: url,
          MaxNumberOfMessages: Math.min(10, max - results.length),
          VisibilityTimeout: HOLD_SECONDS,
          WaitTimeSeconds: 0,
          MessageSystemAttributeNames: ['All'],
          MessageAttributeNames: ['All'],
        }),
      );
      if (Messages.length === 0) break;
      for (const message of Messages) {
        const record = classify(queue, message);
        const { done, ...detail } = await work(record);
        results.push({ id: message.MessageId, kind: record.kind, ...detail });
        if (done) await sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: message.ReceiptHandle }));
        else kept.push(message);
      }
    }
  } finally {
    // What stays in the queue is visible again at once, for the next command (or the operator).
    for (const message of kept)
      await sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: url, ReceiptHandle: message.ReceiptHandle, VisibilityTimeout: 0 }));
  }
  return results;
}

const attribute = (message: Message, name: string) => message.MessageAttributes?.[name]?.StringValue;

/** What a record is, without changing anything: its kind, when it came, why it is here. */
export const listDlq = (context: DlqContext, queue: DlqName, max = 100) =>
  eachRecord(context, queue, max, async ({ message, body }) => ({
    done: false,
    sentAt: new Date(Number(message.Attributes?.SentTimestamp ?? 0)).toISOString(),
    receiveCount: Number(message.Attributes?.ApproximateReceiveCount ?? 0) - 1,
    ...(attribute(message, 'code') ? { code: attribute(message, 'code'), reason: attribute(message, 'reason') } : {}),
    ...(body && 'DDBStreamBatchInfo' in body ? { batch: body.DDBStreamBatchInfo } : {}),
  }));

export async function replayDlq(context: DlqContext, queue: DlqName, max = 1000) {
  const deps = commandDeps(context);
  return eachRecord(context, queue, max, async (record) => {
    try {
      return await replayOne(context, deps, queue, record);
    } catch (error) {
      if (isDomainError(error) && error.code !== 'unavailable')
        return { done: false, outcome: 'refused', code: error.code, reason: error.message };
      return { done: false, outcome: 'failed', reason: (error as Error).message };
    }
  });
}

/** The sends' own dependencies, on the operator's table client. */
const commandDeps = ({ table }: DlqContext): CommandDeps => {
  const container = { config: loadConfig({ TABLE_NAME: table.name }), table };
  return { ...ednaDeps(container), ...sendDeps(container, phoneNumbers), accounts: accountStore(table), producers: producerStore(table) };
};

async function replayOne(context: DlqContext, deps: CommandDeps, queue: DlqName, { message, kind, body }: Record_) {
  switch (kind) {
    case 'send': {
      // The record as the queue first gave it: its own id (the default idempotency key) and sender (the producer).
      const record = {
        messageId: attribute(message, 'messageId') ?? message.MessageId!,
        body: message.Body!,
        attributes: { SenderId: attribute(message, 'senderId') ?? message.Attributes?.SenderId ?? '' },
      } as unknown as SQSRecord;
      await runCommand(deps, producerOfSqs(record), commandFromSqs(record));
      return { done: true, outcome: 'replayed', idempotencyKey: `sqs:${record.messageId}` };
    }
    case 'event': {
      const event = (body!.requestPayload ?? body) as EventBridgeEvent<string, unknown>;
      await runCommand(deps, producerOfEvent(event), commandFromEventBridge(event));
      return { done: true, outcome: 'replayed', idempotencyKey: `event:${event.id}` };
    }
    case 'callback-job': {
      const sqs = sqsOf(context);
      const job = { ...body, attempt: 1 };
      await sqs.send(
        new SendMessageCommand({ QueueUrl: await queueUrl(sqs, context.table.name, 'callbacks'), MessageBody: JSON.stringify(job) }),
      );
      return { done: true, outcome: 'requeued', webhookId: body!.webhookId };
    }
    case 'stream-pointer': {
      // In the callback queue a pointer is callback-events' (the status itself is stored and readable).
      if (queue !== 'delivery') return { done: false, outcome: 'kept', reason: "callback-events' batch: its events are not rebuilt" };
      const first = Date.parse(String((body!.DDBStreamBatchInfo as Record<string, unknown>).approximateArrivalOfFirstRecord));
      if (Number.isNaN(first)) return { done: false, outcome: 'kept', reason: 'the pointer names no time to rewind the sweeper to' };
      return {
        done: true,
        outcome: 'rewound',
        sweeperFrom: await rewindSweep(context.table, 'dispatch', new Date(first - REWIND_SLACK_MS)),
      };
    }
    default:
      return {
        done: false,
        outcome: 'kept',
        reason:
          kind === 'async-failure'
            ? 'a failed status report or inbound message: invoke its function with requestPayload (docs/operations.md)'
            : 'not a record this queue should hold',
      };
  }
}
