import { QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { DomainError } from '../domain/errors.js';
import type { StoredMessage } from '../domain/message-info.js';
import type { MessagePage } from '../domain/ports.js';
import { fromItem, messageItem } from './items.js';
import { keys, MESSAGE_PREFIX, messageIndexKeys } from './keys.js';
import { call, entityItem, getItem, putUnlessPresent, type Table } from './table.js';

/** The message's item, with its index keys, as the single put and the new-session transaction both write it. */
export const messageRecord = (message: StoredMessage): Record<string, unknown> =>
  entityItem(keys.message(message.sessionId, message.id), 'Message', { ...message, ...messageIndexKeys(message) });

/**
 * One PutItem, only if no message has this id in the session. Ids are ULIDs, so a new message never
 * collides; a second writer of the same id is a retry, a repeat under an idempotency key or a late
 * invocation, and it gets the stored message back (in the same call, ReturnValuesOnConditionCheckFailure)
 * instead of overwriting it. The condition costs nothing: the put is 1 WCU either way.
 */
export async function putMessage(table: Table, message: StoredMessage): Promise<StoredMessage> {
  const put = await putUnlessPresent(table, messageRecord(message));
  if (put.stored) return message;
  const old = fromItem(messageItem, put.old);
  // The item that failed the condition is this id's; anything else is not trusted, and read again.
  const stored =
    old?.id === message.id && old.sessionId === message.sessionId ? old : await getMessage(table, message.sessionId, message.id);
  if (!stored) throw new DomainError('unavailable', 'The message store answered inconsistently; retry later');
  return stored;
}

/** Message by id (strongly consistent: the idempotency check reads a message just written). A message lives in its session's partition. */
export const getMessage = (table: Table, sessionId: string, messageId: string): Promise<StoredMessage | undefined> =>
  getItem(table, keys.message(sessionId, messageId), messageItem, true);

/**
 * A session's messages, newest first (ULID sort keys read backwards). One item more than the page is
 * read, so that a last page that is exactly full carries no cursor to an empty page.
 */
export async function listMessages(table: Table, sessionId: string, limit: number, afterId?: string): Promise<MessagePage> {
  const { pk } = keys.message(sessionId, '');
  const { Items = [], LastEvaluatedKey } = await call((options) =>
    table.client.send(
      new QueryCommand({
        TableName: table.name,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': pk, ':prefix': MESSAGE_PREFIX },
        ScanIndexForward: false,
        Limit: limit + 1,
        ...(afterId ? { ExclusiveStartKey: keys.message(sessionId, afterId) } : {}),
      }),
      options,
    ),
  );
  const messages = Items.slice(0, limit)
    .map((item) => fromItem(messageItem, item))
    .filter((m): m is StoredMessage => m !== undefined);
  // More follow when the extra item came back, or when DynamoDB stopped early at its 1 MB page limit.
  const more = Items.length > limit || (LastEvaluatedKey !== undefined && messages.length > 0);
  return more ? { messages, lastId: messages.at(-1)!.id } : { messages };
}

/** Clears `isUnread` of a message that exists (never creates one). */
export async function clearUnread(table: Table, sessionId: string, messageId: string): Promise<void> {
  await call((options) =>
    table.client.send(
      new UpdateCommand({
        TableName: table.name,
        Key: keys.message(sessionId, messageId),
        UpdateExpression: 'SET isUnread = :false',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':false': false },
      }),
      options,
    ),
  );
}
