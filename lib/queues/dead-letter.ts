import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { DomainError } from '../domain/errors.js';
import { textAttribute } from './sqs.js';

/** Puts a refused event on a dead-letter queue, with why in its message attributes. */
export type DeadLetter = (body: string, error: DomainError, origin: EventOrigin) => Promise<void>;

/** What identifies an event (a queue record, a bus event) in the logs and the dead-letter queue; absent values are left out. */
export type EventOrigin = Record<string, string | undefined>;

/** The dead-letter queue at `queueUrl`: the refused body as it came, the reason, code and origin as attributes. */
export function deadLetterQueue(client: SQSClient, queueUrl: string): DeadLetter {
  return async (body, error, origin) => {
    const reasons = { reason: error.reason ?? error.fields[0]?.code ?? error.code, code: error.code, message: error.message, ...origin };
    const MessageAttributes = Object.fromEntries(
      Object.entries(reasons).flatMap(([name, value]) => (value ? [[name, textAttribute(value)]] : [])),
    );
    await client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body, MessageAttributes }));
  };
}
