import { TtlCache } from '../cache.js';
import { config as readConfig, required, type Config } from './config.js';
import type { Credential } from '../domain/auth.js';
import type { ProducerStore } from '../domain/commands.js';
import type { EdnaClient, EdnaClientStore, EdnaDeps } from '../domain/edna/send-to-device.js';
import type {
  AccountStore,
  Clock,
  CredentialStore,
  EndpointStore,
  IdempotencyStore,
  MessageStore,
  PhoneNumbers,
  SessionStore,
} from '../domain/ports.js';
import type { ListMessagesDeps, PageBoundary } from '../domain/list-messages-query.js';
import type { OutgoingSend } from '../domain/limits/guard.js';
import { limitsGuard, type AccountLimitSettings } from '../domain/limits/limits.js';
import { batchedQuota } from '../domain/limits/quota.js';
import { DEFAULT_RATE_LIMIT, rateLimited, tokenBuckets } from '../domain/limits/rate.js';
import type { SendDeps } from '../domain/send.js';
import type { Endpoint, Session } from '../domain/session.js';
import { ulidGenerator } from '../ids.js';
import { count } from '../metrics.js';
import { getLimitSettings } from '../store/account-limits.js';
import { accountExists } from '../store/accounts.js';
import { createDocumentClient } from '../store/client.js';
import { deliveryStore } from '../store/deliveries.js';
import * as credentials from '../store/credentials.js';
import { blockAllocator, createEdnaClient, getEdnaClient } from '../store/edna.js';
import * as endpoints from '../store/endpoints.js';
import * as idempotency from '../store/idempotency.js';
import { messagesByIds, scanMessages } from '../store/message-index.js';
import * as messages from '../store/messages.js';
import * as producers from '../store/producers.js';
import { addToQuota } from '../store/quota.js';
import * as sessions from '../store/sessions.js';
import type { Table } from '../store/table.js';
import { consentReader } from './consent-reader.js';
import { consentGuard } from '../domain/consent/guard.js';

/**
 * The composition root, in pieces: each function builds, once per container and outside its
 * handler, only the stores it uses, so that its bundle carries nothing else. The SDK client and the
 * caches survive between invocations.
 */
export interface Container {
  config: Config;
  table: Table;
}

/** What the credential cache and the rate limit read of the configuration. */
type CacheSettings = Pick<Config, 'CREDENTIAL_CACHE_SECONDS' | 'UNKNOWN_CREDENTIAL_CACHE_SECONDS'> &
  Partial<Pick<Config, 'ACCOUNT_RATE_LIMIT' | 'ACCOUNT_BURST_LIMIT'>>;

const SESSION_CACHE_MS = 60 * 60 * 1000;
/** How long a rename may take to reach new sessions (docs/operations.md, `endpoint rename`). */
export const ENDPOINT_CACHE_SECONDS = 60;
/** An operator's change of an account's limits (or a new endpoint's country) applies within this. */
const LIMITS_CACHE_MS = 60 * 1000;

export function openContainer(config: Config = readConfig()): Container {
  const name = required(config, 'TABLE_NAME');
  return { config, table: { client: createDocumentClient({ tableName: name, endpoint: config.DYNAMODB_ENDPOINT }), name } };
}

/**
 * API keys and tokens, trusted for CREDENTIAL_CACHE_SECONDS once read; an unknown secret is
 * remembered as unknown for UNKNOWN_CREDENTIAL_CACHE_SECONDS (a repeated bad token costs no read).
 * A key read after its rotation carries expiresAt, checked even from the cache; one read before it
 * expires from the cache within CREDENTIAL_CACHE_SECONDS (at most MAX_CREDENTIAL_CACHE_SECONDS),
 * which the CLI's shortest rotation overlap outlasts: either way the overlap ends when it says.
 * Each known credential's request spends a token of its account's bucket (ACCOUNT_RATE_LIMIT,
 * ACCOUNT_BURST_LIMIT, per container).
 */
export function credentialStore({ config, table }: { config: CacheSettings; table: Table }, now: () => number = Date.now): CredentialStore {
  const { ACCOUNT_RATE_LIMIT: perSecond = DEFAULT_RATE_LIMIT.perSecond, ACCOUNT_BURST_LIMIT: burst = DEFAULT_RATE_LIMIT.burst } = config;
  const buckets = tokenBuckets({ perSecond, burst }, now);
  return rateLimited(cachedCredentials({ config, table }, now), buckets);
}

function cachedCredentials({ config, table }: { config: CacheSettings; table: Table }, now: () => number): CredentialStore {
  const cache = new TtlCache<Credential>(config.CREDENTIAL_CACHE_SECONDS * 1000, 1000, now);
  const unknown = new TtlCache<true>(config.UNKNOWN_CREDENTIAL_CACHE_SECONDS * 1000, 10_000, now);
  const live = (credential: Credential | undefined) =>
    credential && (credential.expiresAt === undefined || credential.expiresAt * 1000 > now()) ? credential : undefined;
  return {
    getCredential: async (hash) => {
      if (unknown.get(hash)) return undefined;
      const credential = await cache.getOrLoad(hash, () => credentials.getCredential(table, hash));
      if (!credential) unknown.set(hash, true);
      return live(credential);
    },
  };
}

export const accountStore = (table: Table): AccountStore => ({ accountExists: (id) => accountExists(table, id) });

/**
 * Loads an item for the caller's account: another account's is undefined, like a missing one. The
 * caches below are keyed by account and filled only with the caller's own items, so a repeated probe
 * of another tenant's id costs the same reads as one of an id that does not exist.
 */
const owned = async <T extends { accountId: string }>(accountId: string, load: Promise<T | undefined>): Promise<T | undefined> => {
  const item = await load;
  return item?.accountId === accountId ? item : undefined;
};

/**
 * An endpoint's facts are copied into each new session. Only its display name ever changes (`endpoint
 * rename`), so a warm send reads nothing and a new session may take the old name for up to
 * ENDPOINT_CACHE_SECONDS after the rename.
 */
export function endpointStore(table: Table, now: () => number = Date.now): EndpointStore {
  const cache = new TtlCache<Endpoint>(ENDPOINT_CACHE_SECONDS * 1000, 1000, now);
  return {
    getEndpoint: (accountId, id) => cache.getOrLoad(`${accountId}|${id}`, () => owned(accountId, endpoints.getEndpoint(table, id))),
  };
}

/** Sessions never change once created, so a warm send to a known session reads nothing. */
export function sessionStore(table: Table): SessionStore {
  const byId = new TtlCache<Session>(SESSION_CACHE_MS);
  // Consulted only after the caller's ownership of the endpoint is checked; a pair's session is the endpoint's account's.
  const byPeer = new TtlCache<Session>(SESSION_CACHE_MS);
  const peerKey = (endpointId: string, otherAddress: string) => `${endpointId}|${otherAddress}`;
  return {
    getSession: (accountId, id) => byId.getOrLoad(`${accountId}|${id}`, () => owned(accountId, sessions.getSession(table, id))),
    findPeerSession: (endpointId, otherAddress, consistent = false) =>
      consistent
        ? sessions.findPeerSession(table, endpointId, otherAddress, true)
        : byPeer.getOrLoad(peerKey(endpointId, otherAddress), () => sessions.findPeerSession(table, endpointId, otherAddress)),
    createPeerSession: async (session, first) => {
      const result = await sessions.createPeerSession(table, session, first);
      byPeer.set(peerKey(result.value.endpointId, result.value.otherAddress), result.value);
      byId.set(`${result.value.accountId}|${result.value.sessionId}`, result.value);
      return result;
    },
  };
}

/** The message-status route's reads: a message's delivery. */
export const deliveryReads = ({ table }: Container) => ({ deliveries: deliveryStore(table) });

/** The session read, mark-read and message-status routes: the caller's sessions and their messages. */
export const sessionReadDeps = (container: Container) => ({
  credentials: credentialStore(container),
  sessions: sessionStore(container.table),
  messages: {
    ...messageStore(container.table),
    clearUnread: (sessionId: string, messageId: string) => messages.clearUnread(container.table, sessionId, messageId),
  },
});

export const messageStore = (table: Table): MessageStore => ({
  putMessage: (message) => messages.putMessage(table, message),
  getMessage: (sessionId, id) => messages.getMessage(table, sessionId, id),
  listMessages: (sessionId, limit, afterId) => messages.listMessages(table, sessionId, limit, afterId),
});

/** Counts replays here, at the composition root, so that the claim protocol itself stays as it is. */
export const idempotencyStore = (table: Table): IdempotencyStore => ({
  claim: async (record) => {
    const existing = await idempotency.claimIdempotencyKey(table, record);
    if (existing?.fingerprint === record.fingerprint) count('IdempotentReplay');
    return existing;
  },
});

/** edna clients, like sessions, never change once created. */
export function ednaClientStore(table: Table): EdnaClientStore {
  const cache = new TtlCache<EdnaClient>(SESSION_CACHE_MS);
  const key = (accountId: string, clientKey: string) => `${accountId}|${clientKey}`;
  return {
    getClient: (accountId, clientKey, consistent = false) =>
      consistent
        ? getEdnaClient(table, accountId, clientKey, true)
        : cache.getOrLoad(key(accountId, clientKey), () => getEdnaClient(table, accountId, clientKey)),
    createClient: async (client, first) => {
      const result = await createEdnaClient(table, client, first);
      cache.set(key(result.value.accountId, result.value.clientKey), result.value);
      return result;
    },
  };
}

const systemClock: Clock = { now: () => new Date() };

/**
 * The guards of every send path: consent (the recipient's opt-out, docs/consent.md), then the
 * account's destination countries and daily quota. The opt-out answers are cached per (account,
 * number) for CONSENT_CACHE_SECONDS. The limits
 * are read once per account per LIMITS_CACHE_MS (one Query), the quota written in batches, so a warm
 * repeated send makes no call for them.
 */
function sendGuards(table: Table) {
  const cache = new TtlCache<AccountLimitSettings>(LIMITS_CACHE_MS, 10_000);
  const limits = {
    getLimits: async (accountId: string) => (await cache.getOrLoad(accountId, () => getLimitSettings(table, accountId)))!,
  };
  const quota = batchedQuota({ add: (accountId, day, n) => addToQuota(table, accountId, day, n) });
  // Consent first: a send refused for an opt-out is not counted against the quota.
  const consent = consentGuard(consentReader(table));
  return [{ check: (send: OutgoingSend) => consent({ accountId: send.accountId, to: send.to }) }, limitsGuard({ limits, quota })];
}

/** One set of guards per container, shared by both APIs' sends (the event functions run both). */
const guardsOf = new WeakMap<Table, ReturnType<typeof sendGuards>>();
const guards = (table: Table) => guardsOf.get(table) ?? guardsOf.set(table, sendGuards(table)).get(table)!;

/** What an Evo Voice send needs; `phones` only where a route takes a toAddress. */
export const sendDeps = ({ table }: Container, phones: PhoneNumbers): SendDeps => ({
  sessions: sessionStore(table),
  endpoints: endpointStore(table),
  messages: messageStore(table),
  idempotency: idempotencyStore(table),
  phones,
  clock: systemClock,
  ids: ulidGenerator(),
  guards: guards(table),
});

/** What an edna send needs. */
export const ednaDeps = ({ table }: Container): EdnaDeps => ({
  clients: ednaClientStore(table),
  numbers: blockAllocator(table),
  messages: messageStore(table),
  idempotency: idempotencyStore(table),
  clock: systemClock,
  ids: ulidGenerator(),
  guards: guards(table),
});

/** Read on every event, not cached: unbinding a producer takes effect at once. */
export const producerStore = (table: Table): ProducerStore => ({ tenantsOf: (producer) => producers.tenantsOf(table, producer) });

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
