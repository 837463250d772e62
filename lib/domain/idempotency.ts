import { DomainError } from './errors.js';
import { sha256 } from './hash.js';
import type { StoredMessage } from './message-info.js';
import type { Clock, IdempotencyRecord, IdempotencyStore, MessageStore } from './ports.js';

/** How long a key is remembered (the IETF draft suggests at least 24 hours). */
export const IDEMPOTENCY_TTL_SECONDS = 24 * 60 * 60;
/**
 * A claimed key whose message is not stored yet belongs to a send still in flight while it is
 * younger than this (longer than the functions' timeout); after that its sender is known dead.
 */
export const IN_FLIGHT_MS = 15_000;

/** A caller's key for one logical send, scoped to its account. */
export interface IdempotencyRequest {
  accountId: string;
  key: string;
  /** Hash of the operation and its normalised request: the same key for another request is refused. */
  fingerprint: string;
}

/** The same request in any wire format (JSON, XML, form, event) gives the same fingerprint. */
export const fingerprint = (operation: string, request: unknown): string => sha256(JSON.stringify([operation, request]));

export interface Prepared<R> {
  message: StoredMessage;
  /** What else the caller must answer (e.g. edna's numeric ids); replayed with the message. */
  reply: R;
}

export interface IdempotencyDeps {
  messages: MessageStore;
  idempotency: IdempotencyStore;
  clock: Clock;
}

/**
 * Stores the prepared message once per idempotency key. Without a key: one put.
 * With one: a conditional put of a small record claiming the key, then the message's put; a repeat
 * finds the record and replays the stored message (422 if the request differs, 409 while the first
 * is still in flight). A claim whose sender died before storing its message is taken over.
 */
export async function storeOnce<R>(deps: IdempotencyDeps, request: IdempotencyRequest | undefined, prepared: Prepared<R>): Promise<Prepared<R>> {
  if (!request) {
    await deps.messages.putMessage(prepared.message);
    return prepared;
  }
  const record = newRecord(deps.clock.now(), request, prepared);
  const existing = await deps.idempotency.claim(record);
  if (!existing) return commit(deps, record, prepared);
  if (existing.fingerprint !== request.fingerprint) {
    throw new DomainError('idempotency-key-reused', 'This Idempotency-Key was already used for a different request', [
      { field: 'Idempotency-Key', code: 'IdempotencyKeyReused', message: 'This Idempotency-Key was already used for a different request.' },
    ]);
  }
  const stored = await deps.messages.getMessage(existing.sessionId, existing.messageId);
  if (stored) return { message: stored, reply: existing.reply as R };
  if (record.createdAt - existing.createdAt < IN_FLIGHT_MS || !(await deps.idempotency.takeOver(existing, record))) {
    throw new DomainError('conflict', 'A request with this Idempotency-Key is still being processed; retry later');
  }
  return commit(deps, record, prepared);
}

async function commit<R>(deps: IdempotencyDeps, record: IdempotencyRecord, prepared: Prepared<R>): Promise<Prepared<R>> {
  try {
    await deps.messages.putMessage(prepared.message);
    return prepared;
  } catch (error) {
    // Free the key at once so that a retry need not wait out the in-flight window.
    await deps.idempotency.release(record).catch(() => undefined);
    throw error;
  }
}

function newRecord(now: Date, request: IdempotencyRequest, prepared: Prepared<unknown>): IdempotencyRecord {
  return {
    accountId: request.accountId,
    keyHash: sha256(request.key),
    fingerprint: request.fingerprint,
    sessionId: prepared.message.sessionId,
    messageId: prepared.message.id,
    ...(prepared.reply === undefined ? {} : { reply: prepared.reply }),
    createdAt: now.getTime(),
    expiresAt: Math.floor(now.getTime() / 1000) + IDEMPOTENCY_TTL_SECONDS,
  };
}
