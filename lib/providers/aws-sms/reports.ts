import * as z from 'zod/mini';
import type { StatusReport } from '../../domain/delivery/provider.js';
import type { DeliveryStatus } from '../../domain/delivery/status.js';
import type { Notification } from '../registry.js';

/** The event AWS publishes for each status change (https://docs.aws.amazon.com/sms-voice/latest/userguide/configuration-sets-event-format.html). */
export const awsSmsEvent = z.looseObject({
  eventType: z.string(),
  eventTimestamp: z.number(),
  messageId: z.string(),
  isFinal: z.optional(z.boolean()),
  messageStatus: z.optional(z.string()),
  context: z.looseObject({ messageId: z.string() }),
});

const STATUSES: Record<string, DeliveryStatus> = {
  TEXT_QUEUED: 'queued',
  TEXT_PENDING: 'sending',
  TEXT_DELIVERED: 'delivered',
  TEXT_INVALID: 'failed',
  TEXT_INVALID_MESSAGE: 'failed',
  TEXT_BLOCKED: 'undelivered',
  TEXT_CARRIER_BLOCKED: 'undelivered',
  TEXT_SPAM: 'undelivered',
  TEXT_PROTECT_BLOCKED: 'undelivered',
  TEXT_UNREACHABLE: 'undelivered',
  TEXT_CARRIER_UNREACHABLE: 'undelivered',
  TEXT_TTL_EXPIRED: 'expired',
  TEXT_UNKNOWN: 'unknown',
};

/**
 * An AWS status event in our model, or undefined for event types that are not a text's status.
 * TEXT_SUCCESSFUL means the carrier accepted it: `sent`, or `delivered` when AWS marks it final
 * (countries without delivery receipts). `reportId` is the SNS message id, the same on redelivery.
 */
export function parseAwsSmsEvent(snsMessageId: string, event: z.infer<typeof awsSmsEvent>): StatusReport | undefined {
  const status = event.eventType === 'TEXT_SUCCESSFUL' ? (event.isFinal ? 'delivered' : 'sent') : STATUSES[event.eventType];
  if (!status) return undefined;
  const failed = status === 'failed' || status === 'undelivered' || status === 'expired';
  return {
    reportId: snsMessageId,
    messageId: event.context.messageId,
    provider: 'aws-sms',
    status,
    providerStatus: event.eventType,
    providerMessageId: event.messageId,
    occurredAt: new Date(event.eventTimestamp).toISOString(),
    ...(failed && event.messageStatus ? { errorCode: event.messageStatus } : {}),
  };
}

/** A status event from the stage's topic, or undefined when the notification is not one of AWS's. */
export function awsSmsStatusReport(notification: Notification): StatusReport | undefined {
  const event = z.safeParse(awsSmsEvent, notification.body);
  return event.success ? parseAwsSmsEvent(notification.id, event.data) : undefined;
}
