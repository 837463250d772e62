import { DomainError } from '../errors.js';
import { outgoingMessage, type StoredMessage } from '../message-info.js';
import type { MessageStore, SessionStore } from '../ports.js';
import { classify, normalise, type Classification, type Keyword } from './keywords.js';
import { changeConsent, type ChangeOutcome, type ConsentStore } from './optouts.js';
import type { ConsentTexts } from './texts.js';

export interface KeywordDeps {
  consent: ConsentStore;
  /** The account's confirmation texts: its own, or the defaults naming it (`fallbackName` if it has no name). */
  textsOf(accountId: string, fallbackName: string): Promise<ConsentTexts>;
  sessions: Pick<SessionStore, 'getSession'>;
  messages: Pick<MessageStore, 'putMessage'>;
  /** The confirmation's id: derived from the inbound message's id and its date, the same on every redelivery. */
  replyId(inboundMessageId: string, date: Date): string;
}

/** A keyword's confirmation: an outgoing message the hand-off check and the send guards let through. */
export type ConsentReply = StoredMessage & Required<Pick<StoredMessage, 'consentReply'>>;

export interface KeywordOutcome {
  consent: Classification;
  /** The opt-out list changed (an opt-out or an opt-in recorded by this message). */
  changed: boolean;
  reply?: ConsentReply;
}

/**
 * Applies an inbound message's keyword (after it is stored, lib/domain/inbound.ts): STOP opts the sender
 * out of the receiving account, START opts back in, HELP asks; each answers with one confirmation,
 * an outgoing message in the same conversation, so the delivery pipeline sends it. Exactly once
 * however often the message is redelivered: the change's id is the message's id and the reply's id is
 * derived from it, both written only if absent. START from a number that was not opted out ("YES" to
 * a question) changes nothing and is not answered. Anything else, `review` included, does nothing here:
 * the `message.received` callback carries the classification.
 */
export async function applyConsentKeyword(deps: KeywordDeps, message: StoredMessage): Promise<KeywordOutcome> {
  const consent = message.direction === 'Incoming' ? classify(message.text) : 'none';
  if (consent === 'none' || consent === 'review') return { consent, changed: false };
  const outcome = consent === 'help' ? undefined : await change(deps.consent, message, consent);
  const confirms = consent !== 'optIn' || outcome?.changed || outcome?.record?.lastChange.changeId === message.id;
  const changed = outcome?.changed ?? false;
  if (!confirms) return { consent, changed };
  return { consent, changed, reply: await confirm(deps, message, consent) };
}

const change = (store: ConsentStore, message: StoredMessage, keyword: 'optOut' | 'optIn'): Promise<ChangeOutcome> =>
  changeConsent(store, {
    changeId: message.id,
    accountId: message.accountId,
    number: message.otherAddress,
    state: keyword === 'optOut' ? 'optedOut' : 'optedIn',
    reason: `Keyword ${normalise(message.text)}`,
    source: {
      kind: 'keyword',
      inboundMessageId: message.id,
      receivedAt: message.date,
      sessionId: message.sessionId,
      endpointId: message.endpointId,
      text: message.text,
    },
    by: 'recipient',
    at: message.date,
  });

async function confirm(deps: KeywordDeps, message: StoredMessage, keyword: Keyword): Promise<ConsentReply> {
  const session = await deps.sessions.getSession(message.accountId, message.sessionId);
  if (!session) throw new DomainError('unavailable', `Session ${message.sessionId} of an inbound message is not readable; retry later`);
  const texts = await deps.textsOf(message.accountId, session.endpointDisplayName);
  // Just after the message it answers, so the conversation reads in order and a redelivery gets the same id.
  const date = new Date(new Date(message.date).getTime() + 1);
  const reply: ConsentReply = { ...outgoingMessage(session, texts[keyword], deps.replyId(message.id, date), date), consentReply: true };
  await deps.messages.putMessage(reply);
  return reply;
}
