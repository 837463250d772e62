import { PinpointSMSVoiceV2Client, SendTextMessageCommand } from '@aws-sdk/client-pinpoint-sms-voice-v2';
import { deadlineSignal } from '../../deadline.js';
import type { MessageProvider, SendResult } from '../../domain/delivery/provider.js';

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

const PERMANENT = new Set([
  'ValidationException',
  'AccessDeniedException',
  'ResourceNotFoundException',
  'ConflictException',
  'ServiceQuotaExceededException',
]);

/** What a failed SendTextMessage means for the hand-off. */
export function classify(error: unknown): SendResult {
  const { name = 'Error', message = String(error), Reason } = error as { name?: string; message?: string; Reason?: string };
  const errorCode = Reason ? `${name}:${Reason}` : name;
  if (name === 'ThrottlingException') return { kind: 'rejected', retryable: true, errorCode, errorMessage: message };
  if (PERMANENT.has(name)) return { kind: 'rejected', retryable: false, errorCode, errorMessage: message };
  return { kind: 'ambiguous', errorMessage: `${errorCode}: ${message}` };
}
