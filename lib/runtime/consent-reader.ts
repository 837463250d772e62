import { TtlCache } from '../cache.js';
import type { ConsentReader } from '../domain/consent/guard.js';
import * as optouts from '../store/optouts.js';
import type { Table } from '../store/table.js';

/**
 * How long a send trusts what it read of the opt-out list (docs/consent.md): the law gives 10 business
 * days; 30 s keeps a warm repeated send at no DynamoDB call. The hand-off check does not cache.
 */
export const CONSENT_CACHE_SECONDS = 30;
const TEXTS_CACHE_MS = 60 * 1000;

/**
 * The send guard's reader: one eventually consistent GetItem for a recipient not seen for
 * CONSENT_CACHE_SECONDS, then the answer, opted out or not (a missing record too), from this
 * container's cache, keyed by (account, number) so that one account's STOP never answers another's.
 */
export function consentReader(table: Table, now: () => number = Date.now): ConsentReader {
  const cache = new TtlCache<boolean>(CONSENT_CACHE_SECONDS * 1000, 10_000, now);
  return {
    isOptedOut: async (accountId, number) => {
      const key = `${accountId}|${number}`;
      const hit = cache.get(key);
      if (hit !== undefined) return hit;
      const optedOut = (await optouts.getConsent(table, accountId, number))?.state === 'optedOut';
      cache.set(key, optedOut);
      return optedOut;
    },
  };
}
