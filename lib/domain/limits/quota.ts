import { DomainError } from '../errors.js';

/** The shared count of an account's sends on one UTC day (`day` is YYYY-MM-DD). */
export interface QuotaStore {
  /** Adds `count` (0 only reads) and returns the day's total across every container. */
  add(accountId: string, day: string, count: number): Promise<number>;
}

export interface QuotaCounter {
  /** Counts one send, or refuses it with QuotaExceeded when the account's day is used up. */
  spend(accountId: string, dailyQuota: number): Promise<void>;
}

/** A container writes its count at most this often while it sends... */
export const QUOTA_FLUSH_MS = 10_000;
/** ...or after this many sends, or 1% of the quota when that is fewer (a small quota is counted closely). */
export const QUOTA_FLUSH_SENDS = 100;

const DAY_MS = 86_400_000;

export function quotaExceeded(dailyQuota: number, now: number): DomainError {
  const resetsAt = new Date((Math.floor(now / DAY_MS) + 1) * DAY_MS);
  const message = `This account's daily quota of ${dailyQuota} messages is used up; it resets at ${resetsAt.toISOString()}.`;
  return new DomainError('too-many-requests', message, [], {
    reason: 'QuotaExceeded',
    retryAfterSeconds: Math.ceil((resetsAt.getTime() - now) / 1000),
  });
}

interface Day {
  day: string;
  /** The shared total at the last write (this container's sends included), and what it counted since. */
  shared: number;
  pending: number;
  flushedAt: number;
}

/**
 * The daily quota, counted per container in memory and written with one ADD that also returns the
 * shared total: the first send of the account each day in a container, then the send that completes
 * a batch (QUOTA_FLUSH_SENDS, or 1% of the quota when that is fewer), or the first after
 * QUOTA_FLUSH_MS. The send that writes is admitted only if the total it gets back is within the
 * quota, so a quota under 100 is counted exactly; between writes a container does not see the
 * others' sends, so an account may overshoot by what the other containers hold unwritten (at most a
 * batch each; docs/operations.md, "Limits"). A refused send that wrote stays counted, and an
 * admitted send is counted even if storing it then fails.
 */
export function batchedQuota(store: QuotaStore, now: () => number = Date.now): QuotaCounter {
  const days = new Map<string, Day>();
  return {
    async spend(accountId, dailyQuota) {
      const time = now();
      const day = new Date(time).toISOString().slice(0, 10);
      let state = days.get(accountId);
      if (state?.day !== day) {
        state = { day, shared: 0, pending: 0, flushedAt: Number.NEGATIVE_INFINITY };
        days.set(accountId, state);
      }
      const batch = Math.max(1, Math.min(QUOTA_FLUSH_SENDS, Math.floor(dailyQuota / 100)));
      if (time - state.flushedAt >= QUOTA_FLUSH_MS || state.pending + 1 >= batch) {
        // This send and the ones counted since the last write, in one ADD.
        const written = state.pending;
        state.flushedAt = time;
        state.shared = await store.add(accountId, day, written + 1);
        state.pending -= written;
        if (state.shared > dailyQuota) throw quotaExceeded(dailyQuota, time);
        return;
      }
      if (state.shared + state.pending >= dailyQuota) throw quotaExceeded(dailyQuota, time);
      state.pending++;
    },
  };
}
