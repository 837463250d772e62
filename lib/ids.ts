import { createHash } from 'node:crypto';
import { encodeTime, monotonicFactory } from 'ulid';
import type { IdGenerator } from './domain/ports.js';

/** ULIDs: unique, and sortable by time, which orders a session's messages in the table. */
export function ulidGenerator(): IdGenerator {
  const next = monotonicFactory();
  return { next: () => next() };
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * A ULID of `date` whose random part is derived from `seed`: the same seed and date give the same
 * id (an inbound message redelivered by its provider), still ordered by time like every message id.
 */
export function deterministicUlid(date: Date, seed: string): string {
  const digest = createHash('sha256').update(seed, 'utf8').digest();
  let random = '';
  for (let i = 0; i < 16; i++) random += CROCKFORD[digest[i]! % 32];
  return encodeTime(date.getTime(), 10) + random;
}
