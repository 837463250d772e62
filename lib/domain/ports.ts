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

export interface EndpointStore {
  getEndpoint(endpointId: string): Promise<Endpoint | undefined>;
}

export interface SessionStore {
  getSession(sessionId: string): Promise<Session | undefined>;
  findPeerSession(endpointId: string, otherAddress: string): Promise<Session | undefined>;
  /** Creates the session of (endpoint, peer) unless one exists; returns the one that exists afterwards. */
  createPeerSession(session: Session): Promise<Session>;
}

export interface MessagePage {
  messages: StoredMessage[];
  /** Id of the last message returned, when more may follow. */
  lastId?: string;
}

export interface MessageStore {
  /** Stores a new message; never overwrites. */
  putMessage(message: StoredMessage): Promise<void>;
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

/** The claim of an idempotency key: small, expiring, pointing at the message it stored. */
export interface IdempotencyRecord {
  accountId: string;
  /** SHA-256 of the caller's key: keys are stored hashed, like every secret-looking value. */
  keyHash: string;
  fingerprint: string;
  sessionId: string;
  messageId: string;
  reply?: unknown;
  /** Epoch milliseconds. */
  createdAt: number;
  /** Epoch seconds, the table's TTL attribute. */
  expiresAt: number;
}

export interface IdempotencyStore {
  /** Claims the key unless a live record holds it; returns that record when one does. */
  claim(record: IdempotencyRecord): Promise<IdempotencyRecord | undefined>;
  /** Replaces `stale` by `record` unless someone changed it meanwhile; true when replaced. */
  takeOver(stale: IdempotencyRecord, record: IdempotencyRecord): Promise<boolean>;
  /** Deletes the claim if it is still `record`'s. */
  release(record: IdempotencyRecord): Promise<void>;
}
