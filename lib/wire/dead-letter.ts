import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { DomainError } from '../domain/errors.js';

/** Puts a refused delivery on a dead-letter queue, with why in its message attributes. */
export type DeadLetter = (body: string, error: DomainError, delivery: Delivery) => Promise<void>;

/** What identifies a delivery in the logs and the dead-letter queue (absent values are left out). */
export type Delivery = Record<string, string | undefined>;

/**
 * JSON with every character outside ASCII escaped: the same value, in text that SQS accepts whatever
 * the input held (SQS refuses control characters and lone surrogates, the emulator astral ones too).
 */
export const asciiJson = (value: unknown): string =>
  JSON.stringify(value).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

/**
 * The function's dead-letter queue (DEAD_LETTER_QUEUE_URL; SQS_ENDPOINT only for the local
 * emulator, whose queue URLs name a host that does not resolve). Built once per container.
 */
export function deadLetterQueue(env: Record<string, string | undefined> = process.env): DeadLetter {
  const queueUrl = env.DEAD_LETTER_QUEUE_URL;
  if (!queueUrl) throw new Error('Invalid configuration: DEAD_LETTER_QUEUE_URL: required');
  const client = new SQSClient({ endpoint: env.SQS_ENDPOINT || undefined });
  // Reasons quote field names from the input: escaped like JSON strings.
  const attribute = (value: string) => ({ DataType: 'String', StringValue: asciiJson(value).slice(1, -1) });
  return async (body, error, delivery) => {
    const reasons = { reason: error.reason ?? error.fields[0]?.code ?? error.code, code: error.code, message: error.message, ...delivery };
    const MessageAttributes = Object.fromEntries(Object.entries(reasons).flatMap(([name, value]) => (value ? [[name, attribute(value)]] : [])));
    await client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body, MessageAttributes }));
  };
}
