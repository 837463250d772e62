import type { EventBridgeEvent, SQSRecord } from 'aws-lambda';
import { parseCommand, type Command } from '../domain/commands.js';
import { isDomainError } from '../domain/errors.js';
import { logger } from '../log.js';
import { parseJson } from './http.js';

/** An SQS record's body is the command; its message id is the default idempotency key. */
export const commandFromSqs = (record: SQSRecord): Command => parseCommand(parseJson(record.body), `sqs:${record.messageId}`);

/** EventBridge: the detail-type names the operation and the detail carries the rest. */
export function commandFromEventBridge(event: EventBridgeEvent<string, unknown>): Command {
  const detail = typeof event.detail === 'object' && event.detail !== null ? event.detail : {};
  return parseCommand({ type: event['detail-type'], ...detail }, `event:${event.id}`);
}

/** Why an event was refused, for the logs: the code and fields of a domain error, the whole error otherwise. */
export function logRefusedEvent(error: unknown, delivery: Record<string, string>): void {
  if (isDomainError(error)) {
    logger.warn('Event refused', { ...delivery, code: error.code, reason: error.message, fields: error.fields });
  } else {
    logger.error('Event failed', { ...delivery, error: error as Error });
  }
}
