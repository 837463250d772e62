import { GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { Session } from '../domain/session.js';
import { fromItem, sessionItem } from './items.js';
import { keys } from './keys.js';
import { call, type Table } from './table.js';

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

const MAX_CONFLICT_RETRIES = 3;

/**
 * Creates the session and its peer item in one transaction, each conditional on not existing.
 * When a concurrent send won the race the transaction is cancelled and the winner's session is
 * returned, so concurrent first sends to one pair end in one session.
 */
export async function createPeerSession(table: Table, session: Session): Promise<Session> {
  for (let attempt = 0; ; attempt++) {
    try {
      await call(() => table.client.send(createSessionTransaction(table, session)));
      return session;
    } catch (error) {
      if (!isCancelled(error)) throw error;
      const winner = await findPeerSession(table, session.endpointId, session.otherAddress, true);
      if (winner) return winner;
      // Cancelled by a transaction still in flight, not by an existing item: try again.
      if (attempt >= MAX_CONFLICT_RETRIES) throw error;
    }
  }
}

function createSessionTransaction(table: Table, session: Session): TransactWriteCommand {
  const notExists = { TableName: table.name, ConditionExpression: 'attribute_not_exists(pk)' };
  return new TransactWriteCommand({
    TransactItems: [
      { Put: { ...notExists, Item: { ...keys.peer(session.endpointId, session.otherAddress), type: 'Peer', ...session } } },
      { Put: { ...notExists, Item: { ...keys.session(session.sessionId), type: 'Session', ...session } } },
    ],
  });
}

const isCancelled = (error: unknown): boolean =>
  error instanceof Error && (error.name === 'TransactionCanceledException' || error.name === 'TransactionConflictException');
