/**
 * One status model for every provider. A message moves only forward: a status is applied only when
 * its rank is above the current one (a conditional write on `statusRank`), so late, duplicate and
 * out-of-order reports never move it back.
 */
export const DELIVERY_STATUSES = [
  'accepted',
  'queued',
  'sending',
  'sent',
  'unknown',
  'delivered',
  'read',
  'undelivered',
  'failed',
  'expired',
] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/**
 * - `unknown` (no final report in time, or a hand-off whose outcome was lost) is below every real
 *   final status, so a late report still settles it.
 * - Failures rank above successes: one segment's failure is never overwritten by another segment's
 *   delivery, and a failure is final whatever arrives after it.
 */
export const STATUS_RANK: Record<DeliveryStatus, number> = {
  accepted: 0,
  queued: 10,
  sending: 20,
  sent: 30,
  unknown: 35,
  delivered: 40,
  read: 50,
  undelivered: 60,
  failed: 60,
  expired: 60,
};

/** True when `next` may replace `current`. */
export const movesForward = (current: DeliveryStatus, next: DeliveryStatus): boolean => STATUS_RANK[next] > STATUS_RANK[current];
