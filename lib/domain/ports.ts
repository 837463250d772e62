import type { Credential } from './auth.js';
import type { StoredMessage } from './message-info.js';
import type { Endpoint, Session } from './session.js';

/** What the core needs from storage. lib/store implements these on DynamoDB; unit tests on Maps. */
export interface CredentialStore {
  getCredential(secretHash: string): Promise<Credential | undefined>;
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
  /** Newest first, starting after `afterId` when given. */
  listMessages(sessionId: string, limit: number, afterId?: string): Promise<MessagePage>;
}

export interface Clock {
  now(): Date;
}

export interface IdGenerator {
  /** Unique and time-sortable (a ULID). */
  next(): string;
}
