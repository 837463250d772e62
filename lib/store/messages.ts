import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { StoredMessage } from '../domain/message-info.js';
import type { MessagePage } from '../domain/ports.js';
import { fromItem, messageItem } from './items.js';
import { keys, MESSAGE_PREFIX, messageIndexKeys } from './keys.js';
import { call, getItem, putEntity, type Table } from './table.js';

/**
 * One PutItem, unconditional: ids are ULIDs (monotonic within a container, 80 random bits across
 * containers), so no two messages share a key, and a put the SDK retries after a lost response
 * writes the same item again. A condition would add nothing but its evaluation cost.
 */
export const putMessage = (table: Table, message: StoredMessage): Promise<void> =>
  putEntity(table, keys.message(message.sessionId, message.id), 'Message', { ...message, ...messageIndexKeys(message) });

/** Message by id (strongly consistent: the idempotency check reads a message just written). A message lives in its session's partition. */
export const getMessage = (table: Table, sessionId: string, messageId: string): Promise<StoredMessage | undefined> =>
  getItem(table, keys.message(sessionId, messageId), messageItem, true);

/** A session's messages, newest first (ULID sort keys read backwards). */
export async function listMessages(table: Table, sessionId: string, limit: number, afterId?: string): Promise<MessagePage> {
  const { pk } = keys.message(sessionId, '');
  const { Items = [], LastEvaluatedKey } = await call(() =>
    table.client.send(
      new QueryCommand({
        TableName: table.name,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': pk, ':prefix': MESSAGE_PREFIX },
        ScanIndexForward: false,
        Limit: limit,
        ...(afterId ? { ExclusiveStartKey: keys.message(sessionId, afterId) } : {}),
      }),
    ),
  );
  const messages = Items.map((item) => fromItem(messageItem, item)).filter((m): m is StoredMessage => m !== undefined);
  const lastId = LastEvaluatedKey ? String(LastEvaluatedKey.sk).slice(MESSAGE_PREFIX.length) : undefined;
  return lastId ? { messages, lastId } : { messages };
}
