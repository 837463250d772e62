import { createHash, randomFillSync } from 'node:crypto';
import { encodeTime, monotonicFactory } from 'ulid';
import type { IdGenerator } from './domain/ports.js';

/**
 * Random fractions as ulid's own default makes them (a random byte / 256), but drawn from a pool
 * refilled 4 KB at a time: the default calls getRandomValues once per character, sixteen times an id,
 * which took about 40 µs of every send.
 */
export function pooledRandom(size = 4096): () => number {
  const pool = new Uint8Array(size);
  let next = size;
  return () => {
    if (next === size) {
      randomFillSync(pool);
      next = 0;
    }
    return pool[next++]! / 256;
  };
}

/** ULIDs: unique, and sortable by time, which orders a session's messages in the table. */
export function ulidGenerator(): IdGenerator {
  const next = monotonicFactory(pooledRandom());
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
