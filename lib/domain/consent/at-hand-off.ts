import type { ChangeRequest, ConsentRecord } from './optouts.js';
import { isOptedOut } from './optouts.js';
import { isPhoneNumber } from './guard.js';

/** The error code of a message whose recipient opted out after it was accepted (README's error codes). */
export const OPTED_OUT = 'OPTED_OUT';

/**
 * What the check at hand-off found, for the delivery's history: `consentReply` and `not-a-number` were
 * not looked up; `opted-in` means a record says so or there is none.
 */
export type HandOffConsent =
  | { allowed: true; found: 'opted-in' | 'consent-reply' | 'not-a-number' }
  | { allowed: false; found: 'opted-out'; errorCode: typeof OPTED_OUT; errorMessage: string };

export interface HandOffMessage {
  accountId: string;
  /** The recipient. */
  otherAddress: string;
  consentReply?: boolean;
}

/**
 * The dispatcher's check just before the provider call: a message accepted before its recipient opted
 * out (scheduled, queued behind its sender, or sent within the send-side cache's time) is failed with
 * `OPTED_OUT` and never handed off. `read` is uncached (one GetItem per hand-off), so an opt-out
 * recorded before the hand-off always wins.
 */
export const consentAtHandOff =
  (read: (accountId: string, number: string) => Promise<ConsentRecord | undefined>) =>
  async (message: HandOffMessage): Promise<HandOffConsent> => {
    if (message.consentReply) return { allowed: true, found: 'consent-reply' };
    if (!isPhoneNumber(message.otherAddress)) return { allowed: true, found: 'not-a-number' };
    const record = await read(message.accountId, message.otherAddress);
    if (!isOptedOut(record)) return { allowed: true, found: 'opted-in' };
    return {
      allowed: false,
      found: 'opted-out',
      errorCode: OPTED_OUT,
      errorMessage: `The recipient opted out on ${record!.updatedAt}; the message was not handed off`,
    };
  };

/**
 * The opt-out a provider's own refusal proves (AWS `ConflictException`, reason
 * `DESTINATION_PHONE_NUMBER_OPTED_OUT`): recorded through `changeConsent` when the dispatcher fails the
 * message with that code, so later sends are refused here instead of at the provider. The change id is
 * derived from the message, so a retried dispatch records it once.
 */
export const providerOptOut = (message: HandOffMessage & { id: string }, provider: string, reason: string, at: Date): ChangeRequest => ({
  changeId: `provider-${message.id}`,
  accountId: message.accountId,
  number: message.otherAddress,
  state: 'optedOut',
  reason,
  source: { kind: 'provider', provider, messageId: message.id },
  by: provider,
  at: at.toISOString(),
});
