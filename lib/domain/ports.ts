import type { Credential } from './auth.js';
import type { StoredMessage } from './message-info.js';
import type { Endpoint, Session } from './session.js';

/** What the core needs from storage. lib/store implements these on DynamoDB; unit tests on Maps. */
export interface CredentialStore {
  getCredential(secretHash: string): Promise<Credential | undefined>;
}

export interface AccountStore {
  accountExists(accountId: string): Promise<boolean>;
}

/**
 * Lookups take the caller's account: another account's item is answered exactly like a missing one
 * (undefined), for the same number of reads, so that nothing about it can be learned.
 */
export interface EndpointStore {
  getEndpoint(accountId: string, endpointId: string): Promise<Endpoint | undefined>;
}

/** What a create-if-absent found: the item that exists afterwards, and whether this call made it. */
export interface Created<T> {
  value: T;
  created: boolean;
}

export interface SessionStore {
  getSession(accountId: string, sessionId: string): Promise<Session | undefined>;
  /** The session of (endpoint, peer); the caller has checked that the endpoint is its own. `consistent` after a write race. */
  findPeerSession(endpointId: string, otherAddress: string, consistent?: boolean): Promise<Session | undefined>;
  /**
   * Creates the session of (endpoint, peer) together with its first message, atomically. When the
   * pair has a session already, creates nothing and returns that one (`created: false`).
   */
  createPeerSession(session: Session, first: StoredMessage): Promise<Created<Session>>;
}

export interface MessagePage {
  messages: StoredMessage[];
  /** Id of the last message returned, when more may follow. */
  lastId?: string;
}

export interface MessageStore {
  /**
   * Stores the message unless its session already holds one with its id, and returns what is stored:
   * a second writer of the same id (a retry, a late invocation) never overwrites or adds.
   */
  putMessage(message: StoredMessage): Promise<StoredMessage>;
  getMessage(sessionId: string, messageId: string): Promise<StoredMessage | undefined>;
  /** Newest first, starting after `afterId` when given. */
  listMessages(sessionId: string, limit: number, afterId?: string): Promise<MessagePage>;
}

/** Normalises a peer's phone number to E.164, or refuses it naming `field`. */
export interface PhoneNumbers {
  toE164(address: string, field: string): string;
}

export interface Clock {
  now(): Date;
}

export interface IdGenerator {
  /** Unique and time-sortable (a ULID). */
  next(): string;
}

/** The claim of an idempotency key: small, expiring, naming the message that the key stores. */
export interface IdempotencyRecord {
  accountId: string;
  /** SHA-256 of the caller's key: keys are stored hashed, like every secret-looking value. */
  keyHash: string;
  fingerprint: string;
  messageId: string;
  /** The session the message goes to, or, when it must be created, the id it is created with ('' when not known yet). */
  sessionId: string;
  /** Epoch milliseconds. */
  createdAt: number;
  /** Epoch seconds, the table's TTL attribute. */
  expiresAt: number;
}

export interface IdempotencyStore {
  /** Claims the key unless a live claim holds it; returns that claim when one does (possibly this very record, when an earlier attempt of this call landed). */
  claim(record: IdempotencyRecord): Promise<IdempotencyRecord | undefined>;
}
