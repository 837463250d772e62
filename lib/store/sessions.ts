import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { Session } from '../domain/session.js';
import { fromItem, sessionItem } from './items.js';
import { keys } from './keys.js';
import { call, createOnce, type Table } from './table.js';

export async function getSession(table: Table, sessionId: string): Promise<Session | undefined> {
  const { Item } = await call(() => table.client.send(new GetCommand({ TableName: table.name, Key: keys.session(sessionId) })));
  return fromItem(sessionItem, Item);
}

/** The peer item holds a full copy of its session, so finding the session of (endpoint, peer) is one read. */
export async function findPeerSession(table: Table, endpointId: string, otherAddress: string, consistent = false): Promise<Session | undefined> {
  const { Item } = await call(() =>
    table.client.send(new GetCommand({ TableName: table.name, Key: keys.peer(endpointId, otherAddress), ConsistentRead: consistent })),
  );
  return fromItem(sessionItem, Item);
}

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
