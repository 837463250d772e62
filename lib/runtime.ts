import { TtlCache } from './cache.js';
import { loadConfig, type Config } from './config.js';
import type { Credential } from './domain/auth.js';
import type { CommandDeps } from './domain/commands.js';
import type { EdnaClient, EdnaClientStore, EdnaDeps } from './domain/edna/send-to-device.js';
import type { AccountStore, Clock, CredentialStore, EndpointStore, IdempotencyStore, MessageStore, PhoneNumbers, SessionStore } from './domain/ports.js';
import type { ListMessagesDeps, PageBoundary } from './domain/list-messages-query.js';
import type { SendDeps } from './domain/send.js';
import type { Endpoint, Session } from './domain/session.js';
import { ulidGenerator } from './ids.js';
import { accountExists } from './store/accounts.js';
import { createDocumentClient } from './store/client.js';
import * as credentials from './store/credentials.js';
import { blockAllocator, createEdnaClient, getEdnaClient } from './store/edna.js';
import * as endpoints from './store/endpoints.js';
import * as idempotency from './store/idempotency.js';
import { messagesByIds, scanMessages } from './store/message-index.js';
import * as messages from './store/messages.js';
import * as sessions from './store/sessions.js';
import type { Table } from './store/table.js';

/**
 * The composition root, in pieces: each function builds, once per container and outside its
 * handler, only the stores it uses, so that its bundle carries nothing else. The SDK client and the
 * caches survive between invocations.
 */
export interface Container {
  config: Config;
  table: Table;
}

const SESSION_CACHE_MS = 60 * 60 * 1000;
const ENDPOINT_CACHE_MS = 60 * 1000;

export function openContainer(env: Record<string, string | undefined> = process.env): Container {
  const config = loadConfig(env);
  const client = createDocumentClient({ tableName: config.TABLE_NAME, endpoint: config.DYNAMODB_ENDPOINT });
  return { config, table: { client, name: config.TABLE_NAME } };
}

/** API keys and tokens, trusted for CREDENTIAL_CACHE_SECONDS once read. */
export function credentialStore({ config, table }: Container): CredentialStore {
  const cache = new TtlCache<Credential>(config.CREDENTIAL_CACHE_SECONDS * 1000);
  return { getCredential: (hash) => cache.getOrLoad(hash, () => credentials.getCredential(table, hash)) };
}

export const accountStore = (table: Table): AccountStore => ({ accountExists: (id) => accountExists(table, id) });

/** An endpoint's facts are copied into each new session; a minute's staleness is harmless. */
export function endpointStore(table: Table): EndpointStore {
  const cache = new TtlCache<Endpoint>(ENDPOINT_CACHE_MS);
  return { getEndpoint: (id) => cache.getOrLoad(id, () => endpoints.getEndpoint(table, id)) };
}

/** Sessions never change once created, so a warm send to a known session reads nothing. */
export function sessionStore(table: Table): SessionStore {
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

export const messageStore = (table: Table): MessageStore => ({
  putMessage: (message) => messages.putMessage(table, message),
  getMessage: (sessionId, id) => messages.getMessage(table, sessionId, id),
  listMessages: (sessionId, limit, afterId) => messages.listMessages(table, sessionId, limit, afterId),
});

export const idempotencyStore = (table: Table): IdempotencyStore => ({
  claim: (record) => idempotency.claimIdempotencyKey(table, record),
  takeOver: (stale, record) => idempotency.takeOverIdempotencyKey(table, stale, record),
  release: (record) => idempotency.releaseIdempotencyKey(table, record),
});

/** edna clients, like sessions, never change once created. */
export function ednaClientStore(table: Table): EdnaClientStore {
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

const systemClock: Clock = { now: () => new Date() };

/** What an Evo Voice send needs; `phones` only where a route takes a toAddress. */
export const sendDeps = ({ table }: Container, phones: PhoneNumbers): SendDeps => ({
  sessions: sessionStore(table),
  endpoints: endpointStore(table),
  messages: messageStore(table),
  idempotency: idempotencyStore(table),
  phones,
  clock: systemClock,
  ids: ulidGenerator(),
});

/** What an edna send needs. */
export const ednaDeps = ({ table }: Container): EdnaDeps => ({
  clients: ednaClientStore(table),
  numbers: blockAllocator(table),
  messages: messageStore(table),
  idempotency: idempotencyStore(table),
  clock: systemClock,
  ids: ulidGenerator(),
});

/** The events run both APIs' sends. */
export const commandDeps = (container: Container, phones: PhoneNumbers): CommandDeps => ({
  ...ednaDeps(container),
  ...sendDeps(container, phones),
  accounts: accountStore(container.table),
});

const PAGE_BOUNDARY_CACHE_MS = 10 * 60 * 1000;

/**
 * What ListMessages needs: the indexes, sessions read without the cache (so that another account's
 * conversation costs exactly what a missing one costs), and the page boundaries this container saw.
 */
export const listMessagesDeps = ({ table }: Container): ListMessagesDeps => ({
  index: {
    scan: (scopes, range) => scanMessages(table, scopes, range),
    byIds: (accountId, ids) => messagesByIds(table, accountId, ids),
  },
  sessions: { getSession: (id) => sessions.getSession(table, id) },
  boundaries: new TtlCache<PageBoundary>(PAGE_BOUNDARY_CACHE_MS),
});
