import { DomainError } from '../errors.js';
import type { CredentialStore } from '../ports.js';

/** A token bucket: `burst` requests at once, refilled at `perSecond`. */
export interface RateLimit {
  perSecond: number;
  burst: number;
}

/** Per account and container, unless the stage sets ACCOUNT_RATE_LIMIT and ACCOUNT_BURST_LIMIT. */
export const DEFAULT_RATE_LIMIT: RateLimit = { perSecond: 50, burst: 100 };

export function tooManyRequests(waitMs: number): DomainError {
  const retryAfterSeconds = Math.max(1, Math.ceil(waitMs / 1000));
  return new DomainError('too-many-requests', `Too many requests for this account; retry after ${retryAfterSeconds} s`, [], {
    reason: 'TooManyRequests',
    retryAfterSeconds,
  });
}

/**
 * One token bucket per account, in this container: approximate across containers (each has its
 * own), bounded to `maxAccounts` buckets (the least recently refilled is dropped, and starts full).
 */
export function tokenBuckets(limit: RateLimit, now: () => number = Date.now, maxAccounts = 10_000) {
  const buckets = new Map<string, { tokens: number; at: number }>();
  return {
    /** Takes one token, or answers how many milliseconds until one is there. */
    take(key: string): number {
      const time = now();
      const bucket = buckets.get(key) ?? { tokens: limit.burst, at: time };
      buckets.delete(key);
      if (buckets.size >= maxAccounts) buckets.delete(buckets.keys().next().value!);
      bucket.tokens = Math.min(limit.burst, bucket.tokens + ((time - bucket.at) / 1000) * limit.perSecond);
      bucket.at = time;
      buckets.set(key, bucket);
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return 0;
      }
      return ((1 - bucket.tokens) / limit.perSecond) * 1000;
    },
  };
}

/**
 * Per-tenant rate limits at the one door: a request spends a token of its account's bucket only once
 * its secret is known, so a flood of unknown or forged tokens (401) costs no tenant anything.
 */
export function rateLimited(credentials: CredentialStore, buckets: ReturnType<typeof tokenBuckets>): CredentialStore {
  return {
    async getCredential(secretHash) {
      const credential = await credentials.getCredential(secretHash);
      if (credential) {
        const wait = buckets.take(credential.accountId);
        if (wait > 0) throw tooManyRequests(wait);
      }
      return credential;
    },
  };
}
