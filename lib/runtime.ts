import { TtlCache } from './cache.js';
import { loadConfig } from './config.js';
import type { Credential } from './domain/auth.js';
import type { CredentialStore, EndpointStore, PhoneNumbers, SessionStore } from './domain/ports.js';
import type { CommandDeps } from './domain/commands.js';
import { sessionsOnly } from './domain/send.js';
import type { EdnaClient, EdnaClientStore } from './domain/edna/send-to-device.js';
import type { Endpoint, Session } from './domain/session.js';
import { ulidGenerator } from './ids.js';
import { createDocumentClient } from './store/client.js';
import { accountExists } from './store/accounts.js';
import * as credentials from './store/credentials.js';
import * as endpoints from './store/endpoints.js';
import { blockAllocator, createEdnaClient, getEdnaClient } from './store/edna.js';
import * as idempotency from './store/idempotency.js';
import * as messages from './store/messages.js';
import * as sessions from './store/sessions.js';
import type { Table } from './store/table.js';

export interface Runtime extends CommandDeps {
  table: Table;
  credentials: CredentialStore;
}

const SESSION_CACHE_MS = 60 * 60 * 1000;
const ENDPOINT_CACHE_MS = 60 * 1000;

/**
 * The composition root: built once per container, outside the handler, so the SDK client and
 * caches survive between invocations. Functions that normalise phone numbers pass the normaliser;
 * the others do not bundle one.
 */
export function createRuntime({ phones = sessionsOnly }: { phones?: PhoneNumbers } = {}, env: Record<string, string | undefined> = process.env): Runtime {
  const config = loadConfig(env);
  const table: Table = { client: createDocumentClient({ tableName: config.TABLE_NAME, endpoint: config.DYNAMODB_ENDPOINT }), name: config.TABLE_NAME };
  const credentialCache = new TtlCache<Credential>(config.CREDENTIAL_CACHE_SECONDS * 1000);
  return {
    table,
    credentials: { getCredential: (hash) => credentialCache.getOrLoad(hash, () => credentials.getCredential(table, hash)) },
    accounts: { accountExists: (id) => accountExists(table, id) },
    endpoints: cachedEndpoints(table),
    sessions: cachedSessions(table),
    messages: {
      putMessage: (message) => messages.putMessage(table, message),
      getMessage: (sessionId, id) => messages.getMessage(table, sessionId, id),
      listMessages: (sessionId, limit, afterId) => messages.listMessages(table, sessionId, limit, afterId),
    },
    idempotency: {
      claim: (record) => idempotency.claimIdempotencyKey(table, record),
      takeOver: (stale, record) => idempotency.takeOverIdempotencyKey(table, stale, record),
      release: (record) => idempotency.releaseIdempotencyKey(table, record),
    },
    clients: cachedEdnaClients(table),
    numbers: blockAllocator(table),
    phones,
    clock: { now: () => new Date() },
    ids: ulidGenerator(),
  };
}

/** edna clients, like sessions, never change once created. */
function cachedEdnaClients(table: Table): EdnaClientStore {
  const cache = new TtlCache<EdnaClient>(SESSION_CACHE_MS);
  const key = (accountId: string, clientKey: string) => `${accountId}|${clientKey}`;
  return {
    getClient: (accountId, clientKey) => cache.getOrLoad(key(accountId, clientKey), () => getEdnaClient(table, accountId, clientKey)),
    createClient: async (client) => {
      const created = await createEdnaClient(table, client);
      cache.set(key(created.accountId, created.clientKey), created);
      return created;
    },
  };
}

/** An endpoint's facts are copied into each new session; a minute's staleness is harmless. */
function cachedEndpoints(table: Table): EndpointStore {
  const cache = new TtlCache<Endpoint>(ENDPOINT_CACHE_MS);
  return { getEndpoint: (id) => cache.getOrLoad(id, () => endpoints.getEndpoint(table, id)) };
}

/** Sessions never change once created, so a warm send to a known session reads nothing. */
function cachedSessions(table: Table): SessionStore {
  const byId = new TtlCache<Session>(SESSION_CACHE_MS);
  const byPeer = new TtlCache<Session>(SESSION_CACHE_MS);
  const remember = (session: Session): Session => {
    byId.set(session.sessionId, session);
    byPeer.set(`${session.endpointId}|${session.otherAddress}`, session);
    return session;
  };
  return {
    getSession: (id) => byId.getOrLoad(id, () => sessions.getSession(table, id)),
    findPeerSession: (endpointId, otherAddress) =>
      byPeer.getOrLoad(`${endpointId}|${otherAddress}`, () => sessions.findPeerSession(table, endpointId, otherAddress)),
    createPeerSession: async (session) => remember(await sessions.createPeerSession(table, session)),
  };
}
