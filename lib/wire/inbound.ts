import type { SNSEventRecord } from 'aws-lambda';
import * as z from 'zod/mini';
import type { InboundMessage } from '../domain/inbound.js';
import { invalid } from '../domain/errors.js';

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

/** An aws-sms two-way message from SNS, or undefined when the notification is not one. Its time is SNS's, the same on redelivery. */
export function inboundOfSns(record: SNSEventRecord): InboundMessage | undefined {
  let body: unknown;
  try {
    body = JSON.parse(record.Sns.Message);
  } catch {
    return undefined;
  }
  const parsed = z.safeParse(awsSmsInbound, body);
  if (!parsed.success) return undefined;
  return {
    provider: 'aws-sms',
    providerMessageId: parsed.data.inboundMessageId,
    from: parsed.data.originationNumber,
    to: parsed.data.destinationNumber,
    text: parsed.data.messageBody,
    receivedAt: new Date(record.Sns.Timestamp).toISOString(),
  };
}

const simulatedInbound = z.strictObject({
  from: z.string().check(z.minLength(1), z.maxLength(64)),
  to: z.string().check(z.minLength(1), z.maxLength(64)),
  text: z.string().check(z.minLength(1), z.maxLength(1600)),
  /**
   * The carrier's id of this message and when it received it, as a carrier redelivers them: posting
   * the same pair again stores nothing new. Both new (now) when absent.
   */
  id: z.optional(z.string().check(z.minLength(1), z.maxLength(128))),
  receivedAt: z.optional(z.iso.datetime()),
}).check(z.refine((body) => (body.id === undefined) === (body.receivedAt === undefined), { message: "'id' and 'receivedAt' go together", path: ['receivedAt'] }));

/** The simulated carrier's inbound message (`POST /dev/carrier/inbound`): `{from, to, text, id?, receivedAt?}`. */
export function inboundOfSimulated(body: string, newId: () => string, now: Date): InboundMessage {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw invalid([{ field: 'body', code: 'InvalidJson', message: 'The body must be JSON: {"from", "to", "text", "id"?, "receivedAt"?}' }]);
  }
  const parsed = z.safeParse(simulatedInbound, json);
  if (!parsed.success) {
    throw invalid(parsed.error.issues.map((issue) => ({ field: issue.path.join('.') || 'body', code: 'Invalid', message: issue.message })));
  }
  const { from, to, text, id, receivedAt } = parsed.data;
  return { provider: 'simulated', providerMessageId: id ?? newId(), from, to, text, receivedAt: new Date(receivedAt ?? now).toISOString() };
}
