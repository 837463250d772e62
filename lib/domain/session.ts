import type { Principal } from './auth.js';
import { notFound } from './errors.js';
import type { SessionStore } from './ports.js';

/** An account's endpoint: a phone number (or other address) messages are sent from. */
export interface Endpoint {
  endpointId: string;
  accountId: string;
  customerId: string;
  displayName: string;
  /** The endpoint's own address, the `sender` of its outgoing messages. */
  address: string;
}

/**
 * A conversation between one endpoint and one peer. It carries every fact a MessageInfo needs,
 * so a send reads one item. None of these facts ever change, which makes sessions safe to cache.
 */
export interface Session {
  sessionId: string;
  accountId: string;
  endpointId: string;
  customerId: string;
  endpointDisplayName: string;
  sender: string;
  otherAddress: string;
}

export function newSession(endpoint: Endpoint, otherAddress: string, sessionId: string): Session {
  return {
    sessionId,
    accountId: endpoint.accountId,
    endpointId: endpoint.endpointId,
    customerId: endpoint.customerId,
    endpointDisplayName: endpoint.displayName,
    sender: endpoint.address,
    otherAddress,
  };
}

/** A session of the principal's account; another account's is reported exactly like a missing one. */
export async function ownSession(deps: { sessions: SessionStore }, principal: Principal, sessionId: string): Promise<Session> {
  const session = await deps.sessions.getSession(principal.accountId, sessionId);
  if (!session || session.accountId !== principal.accountId) throw notFound('Session', 'sessionId');
  return session;
}
