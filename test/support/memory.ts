import type { Credential } from '../../lib/domain/auth.js';
import type { StoredMessage } from '../../lib/domain/message-info.js';
import type { CredentialStore, IdempotencyRecord, IdempotencyStore, MessageStore, SessionStore } from '../../lib/domain/ports.js';
import type { EdnaClient, EdnaClientStore, EdnaDeps } from '../../lib/domain/edna/send-to-device.js';
import type { SendDeps } from '../../lib/domain/send.js';
import type { Endpoint, Session } from '../../lib/domain/session.js';
import { phoneNumbers } from '../../lib/domain/phone.js';

/** In-memory fakes of the core's ports: the unit tests' stores. */
export function memoryDeps(seed: { endpoints?: Endpoint[]; sessions?: Session[]; credentials?: [string, Credential][] } = {}) {
  const endpoints = new Map((seed.endpoints ?? []).map((e) => [e.endpointId, e]));
  const sessions = new Map((seed.sessions ?? []).map((s) => [s.sessionId, s]));
  const peers = new Map((seed.sessions ?? []).map((s) => [`${s.endpointId}|${s.otherAddress}`, s]));
  const credentials = new Map(seed.credentials ?? []);
  const messages: StoredMessage[] = [];
  let counter = 0;

  // Like the table: a message is stored once per (session, id); the pair's session and its first message together.
  const putOnce = (message: StoredMessage): StoredMessage => {
    const stored = messages.find((m) => m.sessionId === message.sessionId && m.id === message.id);
    if (stored) return stored;
    messages.push(message);
    return message;
  };
  const owned = <T extends { accountId: string }>(accountId: string, item: T | undefined) =>
    item?.accountId === accountId ? item : undefined;
  const sessionStore: SessionStore = {
    getSession: async (accountId, id) => owned(accountId, sessions.get(id)),
    findPeerSession: async (endpointId, otherAddress) => peers.get(`${endpointId}|${otherAddress}`),
    createPeerSession: async (session, first) => {
      const key = `${session.endpointId}|${session.otherAddress}`;
      const existing = peers.get(key);
      if (existing) return { value: existing, created: false };
      peers.set(key, session);
      sessions.set(session.sessionId, session);
      putOnce(first);
      return { value: session, created: true };
    },
  };
  const messageStore: MessageStore = {
    putMessage: async (message) => putOnce(message),
    getMessage: async (sessionId, id) => messages.find((m) => m.sessionId === sessionId && m.id === id),
    listMessages: async (sessionId, limit, afterId) => {
      const all = messages
        .filter((m) => m.sessionId === sessionId && (!afterId || m.id < afterId))
        .sort((a, b) => b.id.localeCompare(a.id));
      const page = all.slice(0, limit);
      return all.length > limit ? { messages: page, lastId: page.at(-1)!.id } : { messages: page };
    },
  };
  const claims = new Map<string, IdempotencyRecord>();
  const claimKey = (r: IdempotencyRecord) => `${r.accountId}|${r.keyHash}`;
  const idempotency: IdempotencyStore = {
    claim: async (record) => {
      const existing = claims.get(claimKey(record));
      if (existing && existing.expiresAt * 1000 > record.createdAt) return existing;
      claims.set(claimKey(record), record);
      return undefined;
    },
  };
  const ednaClients = new Map<string, EdnaClient>();
  let number = 0;
  const clients: EdnaClientStore = {
    getClient: async (accountId, key) => ednaClients.get(`${accountId}|${key}`),
    createClient: async (client, first) => {
      const key = `${client.accountId}|${client.clientKey}`;
      const existing = ednaClients.get(key);
      if (existing) return { value: existing, created: false };
      ednaClients.set(key, client);
      putOnce(first);
      return { value: client, created: true };
    },
  };
  const clock = { time: new Date('2026-01-02T03:04:05.678Z').getTime() };
  const credentialStore: CredentialStore = { getCredential: async (hash) => credentials.get(hash) };
  const deps: SendDeps & { credentials: CredentialStore } = {
    sessions: sessionStore,
    endpoints: { getEndpoint: async (accountId, id) => owned(accountId, endpoints.get(id)) },
    messages: messageStore,
    credentials: credentialStore,
    idempotency,
    phones: phoneNumbers,
    clock: { now: () => new Date(clock.time) },
    // Fixed-width, increasing ids: sortable like ULIDs.
    ids: { next: () => `01J0000000000000000000${String(++counter).padStart(4, '0')}` },
  };
  const ednaDeps: EdnaDeps & { credentials: CredentialStore } = { ...deps, clients, numbers: { next: async () => ++number } };
  return { deps, ednaDeps, messages, sessions, peers, claims, ednaClients, clock };
}

export const endpoint: Endpoint = {
  endpointId: 'ep_1',
  accountId: 'acct_1',
  customerId: 'cus_1',
  displayName: 'Line 1',
  address: '+15550001111',
};
export const session: Session = {
  sessionId: 'ses_1',
  accountId: 'acct_1',
  endpointId: 'ep_1',
  customerId: 'cus_1',
  endpointDisplayName: 'Line 1',
  sender: '+15550001111',
  otherAddress: '+15556667777',
};
