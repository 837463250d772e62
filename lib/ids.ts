import { monotonicFactory } from 'ulid';
import type { IdGenerator } from './domain/ports.js';

/** ULIDs: unique, and sortable by time, which orders a session's messages in the table. */
export function ulidGenerator(): IdGenerator {
  const next = monotonicFactory();
  return { next: () => next() };
}
