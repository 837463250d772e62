/**
 * A message's history is bounded: a flood of reports (a chatty provider, a forged stream) must not
 * grow the delivery towards the item size limit, after which no write of it would succeed.
 * - At most `HISTORY_LIMIT` entries. Every applied change is kept: there is at most one per status
 *   rank, so they are few, and callbacks number a message's events by counting them.
 * - When a change finds the history full, the oldest unapplied entries (late, duplicate-looking,
 *   rejected reports) are dropped down to `HISTORY_TRIMMED`, counted in the delivery's
 *   `historyDropped`: one rewrite per ten reports, not one per report.
 */
export const HISTORY_LIMIT = 50;
export const HISTORY_TRIMMED = 40;

/** The entries to keep of `history` (the new entry last) and those dropped, oldest unapplied first. */
export function trimHistory<T extends { applied: boolean }>(history: readonly T[]): { kept: T[]; dropped: T[] } {
  if (history.length <= HISTORY_LIMIT) return { kept: [...history], dropped: [] };
  let excess = history.length - HISTORY_TRIMMED;
  const kept: T[] = [];
  const dropped: T[] = [];
  for (const [index, entry] of history.entries()) {
    // The newest entry is the change being written: never dropped, whatever it is.
    if (excess > 0 && !entry.applied && index < history.length - 1) {
      dropped.push(entry);
      excess--;
    } else kept.push(entry);
  }
  return { kept, dropped };
}
