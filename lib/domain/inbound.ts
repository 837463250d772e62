import { outgoingMessage, type StoredMessage } from './message-info.js';
import type { MessageStore, PhoneNumbers, SessionStore } from './ports.js';
import { newSession, type Endpoint, type Session } from './session.js';

/** A message a provider received for one of our numbers, normalised (simulated carrier, aws-sms two-way). */
export interface InboundMessage {
  provider: string;
  /** The provider's id of this inbound message: the same on every redelivery. */
  providerMessageId: string;
  /** The sender's number, as the provider gives it. */
  from: string;
  /** Our number it was sent to. */
  to: string;
  text: string;
  /** ISO 8601, when the provider received it (stable across redeliveries). */
  receivedAt: string;
}

export interface InboundDeps {
  /** The endpoint that owns a number (E.164), or undefined. */
  endpointOfNumber(e164: string): Promise<Endpoint | undefined>;
  sessions: Pick<SessionStore, 'findPeerSession' | 'createPeerSession'>;
  messages: Pick<MessageStore, 'putMessage'>;
  phones: PhoneNumbers;
  /**
   * The message id of an inbound message: a ULID of `receivedAt` derived from the endpoint and the
   * provider's id, so a redelivery gets the same id and its conditional put stores nothing new, while
   * the same provider id at another tenant's number (a simulated id is the caller's choice) never does.
   */
  inboundId(endpointId: string, provider: string, providerMessageId: string, receivedAt: Date): string;
  /** A new session's id. */
  newId(): string;
}

/** Why an inbound message was not stored: nobody owns the number, or the number is not one. */
export type Dropped = { dropped: 'unknown-number' | 'invalid-number'; number: string };

/** A reply: the same MessageInfo as a send into the session, from the peer, unread. */
export const incomingMessage = (session: Session, text: string, id: string, date: Date): StoredMessage => ({
  ...outgoingMessage(session, text, id, date),
  direction: 'Incoming',
  sender: session.otherAddress,
  isUnread: true,
});

const e164 = (phones: PhoneNumbers, number: string): string | undefined => {
  try {
    return phones.toE164(number, 'number');
  } catch {
    return undefined;
  }
};

/**
 * Stores an inbound message in the session of (the endpoint owning `to`, the sender), creating the
 * session exactly as a first send does (with the message, in one transaction; one session per pair
 * under concurrency). Exactly once per provider message id. `accountId`, when given, must own the
 * number (the simulated carrier's route acts for the caller's account only).
 */
export async function receiveMessage(deps: InboundDeps, inbound: InboundMessage, accountId?: string): Promise<StoredMessage | Dropped> {
  const to = e164(deps.phones, inbound.to);
  const from = e164(deps.phones, inbound.from);
  if (!to) return { dropped: 'invalid-number', number: inbound.to };
  if (!from) return { dropped: 'invalid-number', number: inbound.from };
  const endpoint = await deps.endpointOfNumber(to);
  if (!endpoint || (accountId !== undefined && endpoint.accountId !== accountId)) return { dropped: 'unknown-number', number: to };
  const date = new Date(inbound.receivedAt);
  const id = deps.inboundId(endpoint.endpointId, inbound.provider, inbound.providerMessageId, date);
  const existing = await deps.sessions.findPeerSession(endpoint.endpointId, from);
  if (existing) return deps.messages.putMessage(incomingMessage(existing, inbound.text, id, date));
  const proposed = newSession(endpoint, from, deps.newId());
  const first = incomingMessage(proposed, inbound.text, id, date);
  const { value, created } = await deps.sessions.createPeerSession(proposed, first);
  return created ? first : deps.messages.putMessage(incomingMessage(value, inbound.text, id, date));
}

export const isDropped = (result: StoredMessage | Dropped): result is Dropped => 'dropped' in result;
