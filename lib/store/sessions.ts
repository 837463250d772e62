import type { StoredMessage } from '../domain/message-info.js';
import type { Created } from '../domain/ports.js';
import type { Session } from '../domain/session.js';
import { sessionItem } from './items.js';
import { keys } from './keys.js';
import { messageRecord } from './messages.js';
import { createOnce, entityItem, getItem, type Table } from './table.js';

export const getSession = (table: Table, sessionId: string): Promise<Session | undefined> =>
  getItem(table, keys.session(sessionId), sessionItem);

/** The peer item holds a full copy of its session, so finding the session of (endpoint, peer) is one read. */
export const findPeerSession = (table: Table, endpointId: string, otherAddress: string, consistent = false): Promise<Session | undefined> =>
  getItem(table, keys.peer(endpointId, otherAddress), sessionItem, consistent);

/**
 * Creates the session, its peer item and (for a send) its first message together, each only if
 * absent: concurrent first sends to one pair end in one session, the race's winner's, and a send
 * that fails leaves no session behind.
 */
export function createPeerSession(table: Table, session: Session, first?: StoredMessage): Promise<Created<Session>> {
  return createOnce(
    table,
    [
      entityItem(keys.peer(session.endpointId, session.otherAddress), 'Peer', session),
      entityItem(keys.session(session.sessionId), 'Session', session),
      ...(first ? [messageRecord(first)] : []),
    ],
    session,
    () => findPeerSession(table, session.endpointId, session.otherAddress, true),
  );
}
