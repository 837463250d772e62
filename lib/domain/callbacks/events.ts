import type { Delivery } from '../delivery/delivery.js';
import type { MessageInfo, StoredMessage } from '../message-info.js';
import { toMessageInfo } from '../message-info.js';

/**
 * The events callbacks carry (README, "Replies and callbacks"), built from what the table's stream
 * shows: a delivery's status change, or an incoming message. A new event type is a name here and a
 * builder beside these two.
 */
export const CALLBACK_EVENTS = ['message.status', 'message.received'] as const;
export type CallbackEventType = (typeof CALLBACK_EVENTS)[number];

/** The JSON body of a callback: Standard Webhooks' `{type, timestamp, data}`. */
export interface CallbackEvent {
  type: CallbackEventType;
  timestamp: string;
  data: {
    messageId: string;
    accountId: string;
    sessionId: string;
    status: string;
    previousStatus: string | null;
    errorCode: string | null;
    errorMessage: string | null;
    segments: number | null;
    /** Per message, 1, 2, 3...: receivers order a message's events by it (delivery order is not promised). */
    sequence: number;
    providerStatus?: string;
    /** message.received: the stored message. */
    message?: MessageInfo;
  };
}

/**
 * The status event of a delivery as it was just written, or undefined when the write did not change
 * the status (a report kept in the history only). `sequence` counts the applied statuses, `accepted`
 * being 1, so it grows by one with each change. The first event is `sending` (2): as with Twilio,
 * the initial status is the send's own answer.
 */
export function statusEvent(delivery: Delivery): CallbackEvent | undefined {
  const applied = delivery.history.filter((entry) => entry.applied);
  const last = delivery.history.at(-1);
  if (!last?.applied) return undefined;
  const previous = applied.at(-2);
  return {
    type: 'message.status',
    timestamp: last.date,
    data: {
      messageId: delivery.messageId,
      accountId: delivery.accountId,
      sessionId: delivery.sessionId,
      status: delivery.status,
      previousStatus: previous?.status ?? null,
      errorCode: delivery.errorCode ?? null,
      errorMessage: delivery.errorMessage ?? null,
      segments: delivery.segments,
      sequence: applied.length,
      ...(delivery.providerStatus ? { providerStatus: delivery.providerStatus } : {}),
    },
  };
}

/** The event of an incoming message: the first and only one of that message. */
export function receivedEvent(message: StoredMessage): CallbackEvent {
  return {
    type: 'message.received',
    timestamp: message.date,
    data: {
      messageId: message.id,
      accountId: message.accountId,
      sessionId: message.sessionId,
      status: 'received',
      previousStatus: null,
      errorCode: null,
      errorMessage: null,
      segments: null,
      sequence: 1,
      message: toMessageInfo(message),
    },
  };
}

/** The same on every retry and every redelivery of the same change: receivers deduplicate on it. */
export const webhookId = (event: CallbackEvent): string => `msg_${event.data.messageId}_${event.data.sequence}`;
