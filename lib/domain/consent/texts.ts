import type { Keyword } from './keywords.js';

/** The confirmation of each keyword, set per account (`optout texts`, docs/consent.md). */
export type ConsentTexts = Record<Keyword, string>;

/**
 * CTIA's handbook: the opt-out confirmation names the sender and says no more messages will follow;
 * HELP names the sender and how to stop; both say how to come back.
 */
export const defaultTexts = (senderName: string): ConsentTexts => ({
  optOut: `${senderName}: You are unsubscribed and will receive no more messages. Reply START to resubscribe.`,
  optIn: `${senderName}: You are resubscribed and may receive messages again. Reply STOP to unsubscribe.`,
  help: `${senderName}: Reply STOP to unsubscribe, START to resubscribe. Msg & data rates may apply.`,
});

/** The account's own texts where it set them, the defaults (naming the account) otherwise. */
export const confirmationTexts = (senderName: string, custom: Partial<ConsentTexts> = {}): ConsentTexts => ({
  ...defaultTexts(senderName),
  ...custom,
});
