import { PinpointSMSVoiceV2Client, SendTextMessageCommand } from '@aws-sdk/client-pinpoint-sms-voice-v2';
import * as z from 'zod/mini';
import { deadlineSignal } from '../deadline.js';
import type { MessageProvider, SendResult, StatusReport } from '../domain/delivery/provider.js';
import type { DeliveryStatus } from '../domain/delivery/status.js';

export interface AwsSmsConfig {
  /** The configuration set whose SNS event destination reports statuses to `delivery-status`. */
  configurationSetName: string;
  /** Seconds the service keeps trying (AWS's default is 72 h); past it the message is `expired`. */
  timeToLiveSeconds?: number | undefined;
}

/**
 * AWS End User Messaging SMS (`SendTextMessage`). The origination identity is the endpoint's own
 * number (the message's `sender`); `Context` carries our ids, which AWS echoes in every status event.
 *
 * SendTextMessage takes no idempotency token, so this provider is not idempotent: a call whose outcome
 * is unknown (a timeout, a lost answer, an internal error) is never repeated; the message becomes
 * `unknown` until a status event settles it. The client's own retries are off for the same reason.
 * Throttling certainly sent nothing: it is retried with backoff. Every other refusal is final.
 */
export function awsSmsProvider(config: AwsSmsConfig, client = new PinpointSMSVoiceV2Client({ maxAttempts: 1 })): MessageProvider {
  return {
    name: 'aws-sms',
    idempotent: false,
    async send(message): Promise<SendResult> {
      const signal = deadlineSignal();
      try {
        const { MessageId } = await client.send(
          new SendTextMessageCommand({
            DestinationPhoneNumber: message.to,
            OriginationIdentity: message.from,
            MessageBody: message.text,
            MessageType: 'TRANSACTIONAL',
            ConfigurationSetName: config.configurationSetName,
            ...(config.timeToLiveSeconds ? { TimeToLive: config.timeToLiveSeconds } : {}),
            Context: { messageId: message.messageId, accountId: message.accountId },
          }),
          signal ? { abortSignal: signal } : {},
        );
        if (!MessageId) return { kind: 'ambiguous', errorMessage: 'SendTextMessage answered without a MessageId' };
        return { kind: 'accepted', providerMessageId: MessageId };
      } catch (error) {
        return classify(error);
      }
    },
  };
}

const PERMANENT = new Set(['ValidationException', 'AccessDeniedException', 'ResourceNotFoundException', 'ConflictException', 'ServiceQuotaExceededException']);

/** What a failed SendTextMessage means for the hand-off. */
export function classify(error: unknown): SendResult {
  const { name = 'Error', message = String(error), Reason } = error as { name?: string; message?: string; Reason?: string };
  const errorCode = Reason ? `${name}:${Reason}` : name;
  if (name === 'ThrottlingException') return { kind: 'rejected', retryable: true, errorCode, errorMessage: message };
  if (PERMANENT.has(name)) return { kind: 'rejected', retryable: false, errorCode, errorMessage: message };
  return { kind: 'ambiguous', errorMessage: `${errorCode}: ${message}` };
}

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
