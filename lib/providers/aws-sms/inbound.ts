import * as z from 'zod/mini';
import type { InboundMessage } from '../../domain/inbound.js';
import type { Notification } from '../registry.js';

/**
 * AWS End User Messaging SMS two-way message, as published to the number's two-way SNS topic
 * (https://docs.aws.amazon.com/sms-voice/latest/userguide/phone-numbers-two-way-sms.html).
 */
const awsSmsInbound = z.looseObject({
  originationNumber: z.string(),
  destinationNumber: z.string(),
  messageBody: z.string(),
  inboundMessageId: z.string().check(z.minLength(1)),
});

/** An aws-sms two-way message, or undefined when the notification is not one. Its time is SNS's, the same on redelivery. */
export function awsSmsInboundMessage(notification: Notification): InboundMessage | undefined {
  const parsed = z.safeParse(awsSmsInbound, notification.body);
  if (!parsed.success) return undefined;
  return {
    provider: 'aws-sms',
    providerMessageId: parsed.data.inboundMessageId,
    from: parsed.data.originationNumber,
    to: parsed.data.destinationNumber,
    text: parsed.data.messageBody,
    receivedAt: new Date(notification.timestamp).toISOString(),
  };
}
