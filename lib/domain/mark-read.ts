import * as z from 'zod/mini';
import type { Principal } from './auth.js';
import { notFound } from './errors.js';
import type { StoredMessage } from './message-info.js';
import type { MessageStore, SessionStore } from './ports.js';
import { idSchema } from './send-message.js';
import { ownSession } from './session.js';
import { parseOrThrow } from './validation.js';

/**
 * MarkMessageRead: this service's extension (Evo Voice's public metadata has no operation that marks
 * messages read). Clears `isUnread` of one message of the caller's session; idempotent.
 */
export const markMessageReadSchema = z.object({ sessionId: idSchema, messageId: idSchema });

export interface MarkReadDeps {
  sessions: SessionStore;
  messages: Pick<MessageStore, 'getMessage'> & { clearUnread(sessionId: string, messageId: string): Promise<void> };
}

/** Another account's session, or a message not in the session, is not found, after the same reads as a missing one. */
export async function markMessageRead(deps: MarkReadDeps, principal: Principal, input: unknown): Promise<StoredMessage> {
  const { sessionId, messageId } = parseOrThrow(markMessageReadSchema, input);
  await ownSession(deps, principal, sessionId);
  const message = await deps.messages.getMessage(sessionId, messageId);
  if (!message) throw notFound('Message', 'messageId');
  if (!message.isUnread) return message;
  await deps.messages.clearUnread(sessionId, messageId);
  return { ...message, isUnread: false };
}
