import { PinpointSMSVoiceV2Client, SendTextMessageCommand } from '@aws-sdk/client-pinpoint-sms-voice-v2';
import { deadlineSignal } from '../../deadline.js';
import type { MessageProvider, SendResult } from '../../domain/delivery/provider.js';
import { logger } from '../../log.js';

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

/**
 * What a tenant is told of each refusal (the message's `errorMessage`, its status and its callbacks):
 * fixed words per error, never AWS's own text, which names role ARNs, the account id and number ids.
 * That text goes to the log only. `true`: the refusal is final; `false`: retried.
 */
const REFUSALS: Record<string, [final: boolean, errorMessage: string]> = {
  ThrottlingException: [false, 'The SMS service throttled the hand-off; it is retried.'],
  ValidationException: [true, 'The SMS service refused the message as invalid (its destination, origin or text).'],
  AccessDeniedException: [true, 'The SMS service refused the hand-off: this service may not send from this number.'],
  ResourceNotFoundException: [true, "The SMS service does not know the message's origin number or configuration."],
  ConflictException: [true, 'The SMS service refused the hand-off: the origin number or configuration is not in a state to send.'],
  ServiceQuotaExceededException: [true, 'The SMS service refused the hand-off: a quota of the sending account is exhausted.'],
};

const AMBIGUOUS = 'The SMS service did not confirm the hand-off (a timeout, a lost answer or a service error); it may have been sent.';

/** What a failed SendTextMessage means for the hand-off; AWS's own words are logged, never returned. */
export function classify(error: unknown): SendResult {
  const { name = 'Error', message = String(error), Reason } = error as { name?: string; message?: string; Reason?: string };
  // AWS's reasons are enums (INVALID_PARAMETER...); anything else is not passed on.
  const errorCode = Reason && /^[A-Z_]{1,64}$/.test(Reason) ? `${name}:${Reason}` : name;
  logger.warn('SendTextMessage failed', { errorCode, error: message });
  const refusal = Object.hasOwn(REFUSALS, name) ? REFUSALS[name] : undefined;
  if (!refusal) return { kind: 'ambiguous', errorMessage: AMBIGUOUS };
  const [final, errorMessage] = refusal;
  return { kind: 'rejected', retryable: !final, errorCode, errorMessage };
}
