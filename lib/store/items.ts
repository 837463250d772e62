import * as z from 'zod/mini';

/** Item schemas: what comes back from the table is validated, never cast. */
const text = z.string();

export const credentialItem = z.object({
  accountId: text,
  roles: z.array(z.enum(['User', 'INTEGRATOR', 'OPERATOR', 'SUPERVISOR'])),
  agentId: z.optional(z.number()),
  expiresAt: z.optional(z.number()),
});

export const endpointItem = z.object({
  endpointId: text,
  accountId: text,
  customerId: text,
  displayName: text,
  address: text,
});

export const sessionItem = z.object({
  sessionId: text,
  accountId: text,
  endpointId: text,
  customerId: text,
  endpointDisplayName: text,
  sender: text,
  otherAddress: text,
});

/** Fields in the seed's MessageInfo order: a parsed item serialises in that order. */
export const messageItem = z.object({
  id: text,
  sessionId: text,
  accountId: text,
  customerId: text,
  endpointId: text,
  endpointDisplayName: text,
  date: text,
  direction: z.enum(['Incoming', 'Outgoing']),
  otherAddress: text,
  sender: text,
  text,
  isUnread: z.boolean(),
  edna: z.optional(
    z.object({ id: z.number(), threadId: z.number(), clientId: z.number(), clientExternalId: z.nullable(text), agentId: z.number() }),
  ),
  consentReply: z.optional(z.literal(true)),
});

export const ednaClientItem = z.object({
  accountId: text,
  clientKey: text,
  clientId: z.number(),
  threadId: z.number(),
  clientExternalId: z.nullable(text),
  session: sessionItem,
});

export const idempotencyItem = z.object({
  accountId: text,
  keyHash: text,
  fingerprint: text,
  messageId: text,
  sessionId: text,
  createdAt: z.number(),
  expiresAt: z.number(),
});

/** Parses a stored item; a malformed one is a bug or corruption, reported as such (a 500, logged). */
export function fromItem<S extends z.ZodMiniType>(schema: S, item: Record<string, unknown> | undefined): z.infer<S> | undefined {
  if (!item) return undefined;
  const result = z.safeParse(schema, item);
  if (!result.success)
    throw new Error(`Malformed ${String(item.type)} item ${String(item.pk)}/${String(item.sk)}`, { cause: result.error });
  return result.data;
}
