import * as z from 'zod/mini';
import type { Principal } from './auth.js';
import { invalidField } from './errors.js';
import { toMessageInfo, type MessageInfo } from './message-info.js';
import type { MessageStore, SessionStore } from './ports.js';
import { idSchema } from './send-message.js';
import { ownSession } from './session.js';
import { parseOrThrow } from './validation.js';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;
const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

export const listMessagesSchema = z.object({
  sessionId: idSchema,
  limit: z.optional(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(MAX_PAGE_SIZE))),
  cursor: z.optional(z.string().check(z.maxLength(64))),
});

export interface MessageList {
  results: MessageInfo[];
  /** Opaque; pass back as `cursor` for the next page. Absent on the last page. */
  next?: string;
}

export async function listMessages(
  deps: { sessions: SessionStore; messages: MessageStore },
  principal: Principal,
  input: unknown,
): Promise<MessageList> {
  const { sessionId, limit = DEFAULT_PAGE_SIZE, cursor } = parseOrThrow(listMessagesSchema, input);
  const afterId = cursor === undefined ? undefined : decodeCursor(cursor);
  await ownSession(deps, principal, sessionId);
  const page = await deps.messages.listMessages(sessionId, limit, afterId);
  return {
    results: page.messages.map(toMessageInfo),
    ...(page.lastId ? { next: encodeCursor(page.lastId) } : {}),
  };
}

const encodeCursor = (messageId: string): string => Buffer.from(messageId, 'utf8').toString('base64url');

function decodeCursor(cursor: string): string {
  const id = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!ULID.test(id)) throw invalidField('cursor', 'InvalidCursor', "'cursor' is not a cursor this API returned.");
  return id;
}
