import * as z from 'zod/mini';
import { invalid, invalidField } from '../../domain/errors.js';
import type { InboundMessage } from '../../domain/inbound.js';
import { messageTextSchema } from '../../domain/send-message.js';
import { fieldErrors } from '../../domain/validation.js';

/** How far `receivedAt` may be from now: a carrier redelivers within hours, never from another year. */
const RECEIVED_AT_WINDOW_MS = 24 * 60 * 60 * 1000;

const simulatedInbound = z
  .strictObject({
    from: z.string().check(z.minLength(1), z.maxLength(64)),
    to: z.string().check(z.minLength(1), z.maxLength(64)),
    /** The send path's text rules: something visible, well-formed Unicode, at most 1,600 characters. */
    text: messageTextSchema,
    /**
     * The carrier's id of this message and when it received it, as a carrier redelivers them: posting
     * the same pair again stores nothing new. Both new (now) when absent.
     */
    id: z.optional(z.string().check(z.minLength(1), z.maxLength(128))),
    receivedAt: z.optional(z.iso.datetime()),
  })
  .check(
    z.refine((body) => (body.id === undefined) === (body.receivedAt === undefined), {
      message: "must be given with 'id' (both or neither)",
      path: ['receivedAt'],
    }),
  );

/** The simulated carrier's inbound message (`POST /dev/carrier/inbound`): `{from, to, text, id?, receivedAt?}`. */
export function simulatedInboundMessage(body: string, newId: () => string, now: Date): InboundMessage {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw invalid([{ field: 'body', code: 'InvalidJson', message: 'The body must be JSON: {"from", "to", "text", "id"?, "receivedAt"?}' }]);
  }
  const parsed = z.safeParse(simulatedInbound, json);
  if (!parsed.success) throw invalid(fieldErrors(parsed.error.issues).map((error) => ({ ...error, field: error.field || 'body' })));
  const { from, to, text, id, receivedAt } = parsed.data;
  const received = receivedAt === undefined ? now : new Date(receivedAt);
  if (Math.abs(received.getTime() - now.getTime()) > RECEIVED_AT_WINDOW_MS)
    throw invalidField('receivedAt', 'OutOfRange', "'receivedAt' must be within a day of now.");
  return { provider: 'simulated', providerMessageId: id ?? newId(), from, to, text, receivedAt: received.toISOString() };
}
