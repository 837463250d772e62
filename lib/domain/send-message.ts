import * as z from 'zod/mini';
import { invalidField } from './errors.js';
import { notBlank, parseOrThrow, wellFormed } from './validation.js';

/** Longest message text accepted: ten concatenated SMS segments of 160 GSM-7 characters. */
export const MAX_TEXT_LENGTH = 1600;
const MAX_ID_LENGTH = 128;

/** Ids are opaque, but never contain characters that could smuggle a key delimiter. */
export const idSchema = z
  .string()
  .check(
    z.minLength(1),
    z.maxLength(MAX_ID_LENGTH),
    z.regex(/^[A-Za-z0-9_.:-]+$/, { error: 'must contain only letters, digits, and _ . : -' }),
  );

/** Message text may carry bidi controls (right-to-left languages use them), but must show something. */
export const messageTextSchema = z.string().check(z.trim(), notBlank(), z.maxLength(MAX_TEXT_LENGTH), wellFormed());

/** The Evo Voice SendMessage DTO as the domain sees it (camelCase; the wire layer binds other spellings). */
export const sendMessageSchema = z.object({
  sessionId: z.optional(idSchema),
  endpointId: z.optional(idSchema),
  toAddress: z.optional(z.string().check(z.maxLength(64), wellFormed())),
  body: messageTextSchema,
});

export type SendMessageRequest = z.infer<typeof sendMessageSchema>;

/** Where a send goes: an existing session, or the session of (endpoint, peer), created on first use. */
export type SendTarget = { kind: 'session'; sessionId: string } | { kind: 'peer'; endpointId: string; toAddress: string };

export function parseSendMessage(input: unknown): { target: SendTarget; text: string } {
  const request = parseOrThrow(sendMessageSchema, input);
  return { target: sendTarget(request), text: request.body };
}

function sendTarget({ sessionId, endpointId, toAddress }: SendMessageRequest): SendTarget {
  if (sessionId) return { kind: 'session', sessionId };
  if (endpointId && toAddress) return { kind: 'peer', endpointId, toAddress };
  if (endpointId) throw invalidField('toAddress', 'NotEmpty', "'toAddress' is required with 'endpointId'.");
  if (toAddress) throw invalidField('endpointId', 'NotEmpty', "'endpointId' is required with 'toAddress'.");
  throw invalidField('sessionId', 'NotEmpty', "Specify either 'sessionId' or 'endpointId' and 'toAddress'.");
}
