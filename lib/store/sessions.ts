import type { Session } from '../domain/session.js';
import { sessionItem } from './items.js';
import { keys } from './keys.js';
import { createOnce, getItem, type Table } from './table.js';

export const getSession = (table: Table, sessionId: string): Promise<Session | undefined> => getItem(table, keys.session(sessionId), sessionItem);

/** The peer item holds a full copy of its session, so finding the session of (endpoint, peer) is one read. */
export const findPeerSession = (table: Table, endpointId: string, otherAddress: string, consistent = false): Promise<Session | undefined> =>
  getItem(table, keys.peer(endpointId, otherAddress), sessionItem, consistent);

/**
 * Creates the session and its peer item together, each only if absent: concurrent first sends to
 * one pair end in one session, the race's winner's.
 */
export function createPeerSession(table: Table, session: Session): Promise<Session> {
  return createOnce(
    table,
    [
      { ...keys.peer(session.endpointId, session.otherAddress), type: 'Peer', ...session },
      { ...keys.session(session.sessionId), type: 'Session', ...session },
    ],
    session,
    () => findPeerSession(table, session.endpointId, session.otherAddress, true),
  );
}
