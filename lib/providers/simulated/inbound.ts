import * as z from 'zod/mini';
import { invalid } from '../../domain/errors.js';
import type { InboundMessage } from '../../domain/inbound.js';

const simulatedInbound = z
  .strictObject({
    from: z.string().check(z.minLength(1), z.maxLength(64)),
    to: z.string().check(z.minLength(1), z.maxLength(64)),
    text: z.string().check(z.minLength(1), z.maxLength(1600)),
    /**
     * The carrier's id of this message and when it received it, as a carrier redelivers them: posting
     * the same pair again stores nothing new. Both new (now) when absent.
     */
    id: z.optional(z.string().check(z.minLength(1), z.maxLength(128))),
    receivedAt: z.optional(z.iso.datetime()),
  })
  .check(
    z.refine((body) => (body.id === undefined) === (body.receivedAt === undefined), {
      message: "'id' and 'receivedAt' go together",
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
  if (!parsed.success) {
    throw invalid(parsed.error.issues.map((issue) => ({ field: issue.path.join('.') || 'body', code: 'Invalid', message: issue.message })));
  }
  const { from, to, text, id, receivedAt } = parsed.data;
  return { provider: 'simulated', providerMessageId: id ?? newId(), from, to, text, receivedAt: new Date(receivedAt ?? now).toISOString() };
}
