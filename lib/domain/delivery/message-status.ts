import * as z from 'zod/mini';
import type { Principal } from '../auth.js';
import { notFound } from '../errors.js';
import type { MessageStore, SessionStore } from '../ports.js';
import { idSchema } from '../send-message.js';
import { ownSession } from '../session.js';
import { parseOrThrow } from '../validation.js';
import type { DeliveryStore, HistoryEntry } from './delivery.js';
import type { DeliveryStatus } from './status.js';

export const messageStatusSchema = z.object({ sessionId: idSchema, messageId: idSchema });

/** What `GET /sessions/{sessionId}/messages/{messageId}/status` answers. */
export interface MessageStatus {
  messageId: string;
  status: DeliveryStatus;
  /** ISO 8601: the last change of `status`. */
  statusUpdatedAt: string;
  segments?: number;
  encoding?: string;
  provider?: string;
  providerMessageId?: string;
  errorCode?: string;
  errorMessage?: string;
  /** Every applied change and the newest other reports, at most 50 entries. */
  history: HistoryEntry[];
  /** How many older unapplied reports were dropped from `history`; absent when none was. */
  historyDropped?: number;
}

/**
 * A message's delivery, read through its session: another account's session, a message not in the
 * session, or a delivery that is not the session's, is not found, after the same reads as a missing one. A message not dispatched yet
 * is `accepted`.
 */
export async function messageStatus(
  deps: { sessions: SessionStore; messages: MessageStore; deliveries: DeliveryStore },
  principal: Principal,
  input: unknown,
): Promise<MessageStatus> {
  const { sessionId, messageId } = parseOrThrow(messageStatusSchema, input);
  await ownSession(deps, principal, sessionId);
  const message = await deps.messages.getMessage(sessionId, messageId);
  if (!message) throw notFound('Message', 'messageId');
  const delivery = await deps.deliveries.get(messageId);
  // Delivery ids are message ids, not scoped by tenant: a delivery of another session (an inbound id
  // colliding with another tenant's outgoing one) is not this message's, and is not shown.
  if (delivery && (delivery.accountId !== principal.accountId || delivery.sessionId !== sessionId)) throw notFound('Message', 'messageId');
  if (!delivery) {
    return {
      messageId,
      status: 'accepted',
      statusUpdatedAt: message.date,
      history: [{ status: 'accepted', date: message.date, source: 'dispatch', applied: true }],
    };
  }
  const { status, statusUpdatedAt, segments, encoding, provider, providerMessageId, errorCode, errorMessage, history, historyDropped } =
    delivery;
  return {
    messageId,
    status,
    statusUpdatedAt,
    segments,
    encoding,
    provider,
    providerMessageId,
    errorCode,
    errorMessage,
    history,
    ...(historyDropped ? { historyDropped } : {}),
  };
}
