import { DomainError } from '../errors.js';

/** Whether (account, number) is opted out; the runtime's reader caches the answer for a bounded time (docs/consent.md). */
export interface ConsentReader {
  isOptedOut(accountId: string, number: string): Promise<boolean>;
}

/** What a send guard sees of a send: whose it is, to whom, and whether it is a keyword's own confirmation. */
export interface GuardedSend {
  accountId: string;
  /** The recipient: E.164 for phone channels; anything else (an edna device id) has no opt-out state. */
  to: string;
  /** The confirmation of a STOP, START or HELP: never blocked by the opt-out it confirms. */
  consentReply?: boolean;
}

/** Opt-outs are kept per phone number; other addresses are not numbers and are never refused here. */
export const isPhoneNumber = (address: string): boolean => /^\+[1-9]\d{5,14}$/.test(address);

export const recipientOptedOut = (): DomainError =>
  new DomainError('recipient-opted-out', 'The recipient has opted out of messages from this account (replied STOP)', [], {
    reason: 'RecipientOptedOut',
  });

/**
 * The send-side check (issue 24): refuses a send to an opted-out recipient before anything is stored,
 * with `recipient-opted-out` (409, ServiceStack ErrorCode `RecipientOptedOut`; dead-lettered with that
 * code on the event paths). It writes nothing, and with the reader's cache a warm repeated send reads nothing.
 */
export const consentGuard =
  (reader: ConsentReader) =>
  async (send: GuardedSend): Promise<void> => {
    if (send.consentReply || !isPhoneNumber(send.to)) return;
    if (await reader.isOptedOut(send.accountId, send.to)) throw recipientOptedOut();
  };
