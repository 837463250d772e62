import type { EventBridgeEvent, SQSRecord } from 'aws-lambda';
import { parseCommand, type Command, type Producer } from '../domain/commands.js';
import { invalidField, isDomainError, type DomainError } from '../domain/errors.js';
import { logger } from '../log.js';
import { count } from '../metrics.js';
import type { DeadLetter, EventOrigin } from '../queues/dead-letter.js';
import { parseJson } from './http.js';

/** An SQS record's body is the command; its message id is the default idempotency key. */
export const commandFromSqs = (record: SQSRecord): Command => parseCommand(parseJson(record.body), `sqs:${record.messageId}`);

/**
 * The sender's IAM unique id: a user's id, or for a role `AROA…:<session name>` of which only the
 * role's id is kept, so that a binding holds for every session of the role.
 */
export const producerOfSqs = (record: SQSRecord): Producer => ({
  kind: 'sqs',
  senderId: (record.attributes.SenderId ?? '').split(':')[0]!,
});

export const producerOfEvent = (event: EventBridgeEvent<string, unknown>): Producer => ({
  kind: 'events',
  account: event.account,
  source: event.source,
});

/**
 * EventBridge: the detail-type names the operation and the detail carries the rest. A `type` in the
 * detail is refused: rules filter on detail-type, so the detail must not choose another operation.
 */
export function commandFromEventBridge(event: EventBridgeEvent<string, unknown>): Command {
  const detail = typeof event.detail === 'object' && event.detail !== null ? event.detail : {};
  if (Object.hasOwn(detail, 'type'))
    throw invalidField('type', 'UnknownField', "'type' is the event's detail-type; the detail may not carry one.");
  return parseCommand({ ...detail, type: event['detail-type'] }, `event:${event.id}`);
}

/** Refusals that no retry can change (400, 403, 404, 422): dead-lettered at once. `unavailable` (503) and bugs are retried. */
const isPermanent = (error: unknown): error is DomainError => isDomainError(error) && error.code !== 'unavailable';

/**
 * Runs one delivery. A permanent refusal is logged and dead-lettered, and the delivery counts as
 * done; anything else is logged and thrown, for the event source to retry.
 */
export async function settle(run: () => Promise<void>, deadLetter: DeadLetter, body: string, origin: EventOrigin): Promise<void> {
  try {
    await run();
    count('EventAccepted');
  } catch (error) {
    logRefusedEvent(error, origin);
    const code = isDomainError(error) ? error.code : 'internal';
    if (!isPermanent(error)) {
      count('EventFailed', { code });
      throw error;
    }
    count('EventRefused', { code });
    await deadLetter(body, error, origin);
  }
}

/**
 * What one record may take at most (a keyed send is a few DynamoDB calls, each with its own deadline):
 * no record starts with less time left, so a batch never times out with records half done.
 */
export const RECORD_BUDGET_MS = 3000;

/** Why an event was refused, for the logs: the code and fields of a domain error, the whole error otherwise. */
export function logRefusedEvent(error: unknown, origin: EventOrigin): void {
  if (isDomainError(error)) {
    logger.warn('Event refused', { ...origin, code: error.code, reason: error.message, fields: error.fields });
  } else {
    logger.error('Event failed', { ...origin, error: error as Error });
  }
}
