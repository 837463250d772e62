import { DomainError } from './errors.js';
import { sha256 } from './hash.js';
import type { StoredMessage } from './message-info.js';
import type { Clock, IdempotencyRecord, IdempotencyStore } from './ports.js';

/** How long a key is remembered (the IETF draft suggests at least 24 hours). */
export const IDEMPOTENCY_TTL_SECONDS = 24 * 60 * 60;

/** A caller's key for one logical send, scoped to its account. */
export interface IdempotencyRequest {
  accountId: string;
  key: string;
  /** Hash of the operation and its normalised request: the same key for another request is refused. */
  fingerprint: string;
}

/** The same request in any wire format (JSON, XML, form, event) gives the same fingerprint. */
export const fingerprint = (operation: string, request: unknown): string => sha256(JSON.stringify([operation, request]));

/** Where a send's message goes: its id, and its session's (the id to create it with, when it is new). */
export interface MessageIds {
  messageId: string;
  sessionId: string;
}

/**
 * How one send stores its message. Both steps are idempotent on `ids.messageId`: every writer of the
 * same ids ends with the one message the first of them stored, so retries, concurrent repeats and
 * late invocations can never add a second.
 */
export interface Placement {
  /** The message stored under `ids`, if any (a replay). */
  find(ids: MessageIds): Promise<StoredMessage | undefined>;
  /** Stores the message (and creates what it needs, atomically with it) unless it is stored; returns what is stored. */
  write(ids: MessageIds): Promise<StoredMessage>;
}

export interface IdempotencyDeps {
  idempotency: IdempotencyStore;
  clock: Clock;
}

/**
 * Stores a send's message once per idempotency key. The key is claimed before anything is written,
 * with the ids the message will have; whoever finds the claim (a retry, a concurrent repeat, this very
 * call after a lost answer) writes under the claim's ids, never new ones. So there is no in-flight
 * window to wait out and no take-over race: a writer that resumes late rewrites nothing and adds
 * nothing, because its conditional writes find the message already there. A claim is never released:
 * after an ambiguous failure the write may have landed, and the retry must find it.
 */
export async function storeOnce(
  deps: IdempotencyDeps,
  request: IdempotencyRequest | undefined,
  fresh: MessageIds,
  placement: Placement,
): Promise<StoredMessage> {
  if (!request) return placement.write(fresh);
  const existing = await deps.idempotency.claim(newRecord(deps.clock.now(), request, fresh));
  if (!existing) return placement.write(fresh);
  if (existing.fingerprint !== request.fingerprint) {
    throw new DomainError('idempotency-key-reused', 'This Idempotency-Key was already used for a different request', [
      { field: 'Idempotency-Key', code: 'IdempotencyKeyReused', message: 'This Idempotency-Key was already used for a different request.' },
    ]);
  }
  const ids = { messageId: existing.messageId, sessionId: existing.sessionId || fresh.sessionId };
  return (await placement.find(ids)) ?? placement.write(ids);
}

function newRecord(now: Date, request: IdempotencyRequest, ids: MessageIds): IdempotencyRecord {
  return {
    accountId: request.accountId,
    keyHash: sha256(request.key),
    fingerprint: request.fingerprint,
    messageId: ids.messageId,
    sessionId: ids.sessionId,
    createdAt: now.getTime(),
    expiresAt: Math.floor(now.getTime() / 1000) + IDEMPOTENCY_TTL_SECONDS,
  };
}
