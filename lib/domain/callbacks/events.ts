import { classify, type Classification } from '../consent/keywords.js';
import type { ConsentChange } from '../consent/optouts.js';
import type { Delivery } from '../delivery/delivery.js';
import type { MessageInfo, StoredMessage } from '../message-info.js';
import { toMessageInfo } from '../message-info.js';

/**
 * The events callbacks carry (README, "Replies and callbacks"), built from what the table's stream
 * shows: a delivery's status change, an incoming message, or a change of the opt-out list
 * (docs/consent.md). A new event type is a name here and a builder beside these.
 */
export const CALLBACK_EVENTS = ['message.status', 'message.received', 'contact.opted_out', 'contact.opted_in'] as const;
export type CallbackEventType = (typeof CALLBACK_EVENTS)[number];

/** The JSON body of a callback: Standard Webhooks' `{type, timestamp, data}`. */
export type CallbackEvent = MessageEvent | ContactEvent;

/** A number opted out of, or back into, the account's messages: the change with its evidence. */
export interface ContactEvent {
  type: 'contact.opted_out' | 'contact.opted_in';
  timestamp: string;
  data: ConsentChange;
}

export interface MessageEvent {
  type: 'message.status' | 'message.received';
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
    /**
     * message.received: its consent keyword (docs/consent.md): `optOut`, `optIn` or `help` (applied and
     * answered), `review` (reads like a revocation but opts nobody out), or null.
     */
    consent?: Exclude<Classification, 'none'> | null;
  };
}

/**
 * The status event of a delivery as it was just written, or undefined when the write did not change
 * the status (a report kept in the history only). `sequence` counts the applied statuses, `accepted`
 * being 1, so it grows by one with each change. The first event is `sending` (2): as with Twilio,
 * the initial status is the send's own answer.
 */
export function statusEvent(delivery: Delivery): MessageEvent | undefined {
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
export function receivedEvent(message: StoredMessage): MessageEvent {
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
      consent: consentOf(message.text),
    },
  };
}

const consentOf = (text: string) => {
  const consent = classify(text);
  return consent === 'none' ? null : consent;
};

/** The event of a recorded opt-out or opt-in (a change item's insert: one per change). */
export const contactEvent = (change: ConsentChange): ContactEvent => ({
  type: change.state === 'optedOut' ? 'contact.opted_out' : 'contact.opted_in',
  timestamp: change.at,
  data: change,
});

/** The same on every retry and every redelivery of the same change: receivers deduplicate on it. */
export const webhookId = (event: CallbackEvent): string =>
  'changeId' in event.data ? `consent_${event.data.changeId}` : `msg_${event.data.messageId}_${event.data.sequence}`;
