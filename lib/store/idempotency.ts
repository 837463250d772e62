import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { IdempotencyRecord } from '../domain/ports.js';
import { fromItem, idempotencyItem } from './items.js';
import { keys } from './keys.js';
import { call, conditionFailed, type Table } from './table.js';

const item = (record: IdempotencyRecord) => ({ ...keys.idempotency(record.accountId, record.keyHash), type: 'Idempotency', ...record });

/**
 * One conditional put. An expired record counts as absent: TTL deletion may lag by hours. On
 * failure the existing record comes back with the same request (ReturnValuesOnConditionCheckFailure).
 */
export async function claimIdempotencyKey(table: Table, record: IdempotencyRecord): Promise<IdempotencyRecord | undefined> {
  try {
    await call(() =>
      table.client.send(
        new PutCommand({
          TableName: table.name,
          Item: item(record),
          ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :now',
          ExpressionAttributeValues: { ':now': Math.floor(record.createdAt / 1000) },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      ),
    );
    return undefined;
  } catch (error) {
    if (!conditionFailed(error)) throw error;
    // The document client does not unmarshall the item that comes back with the error.
    const { Item } = error as { Item?: Parameters<typeof unmarshall>[0] };
    return fromItem(idempotencyItem, Item && unmarshall(Item));
  }
}

export async function takeOverIdempotencyKey(table: Table, stale: IdempotencyRecord, record: IdempotencyRecord): Promise<boolean> {
  try {
    await call(() =>
      table.client.send(
        new PutCommand({
          TableName: table.name,
          Item: item(record),
          ConditionExpression: 'createdAt = :stale AND messageId = :staleMessage',
          ExpressionAttributeValues: { ':stale': stale.createdAt, ':staleMessage': stale.messageId },
        }),
      ),
    );
    return true;
  } catch (error) {
    if (conditionFailed(error)) return false;
    throw error;
  }
}

export async function releaseIdempotencyKey(table: Table, record: IdempotencyRecord): Promise<void> {
  try {
    await call(() =>
      table.client.send(
        new DeleteCommand({
          TableName: table.name,
          Key: keys.idempotency(record.accountId, record.keyHash),
          ConditionExpression: 'messageId = :mine',
          ExpressionAttributeValues: { ':mine': record.messageId },
        }),
      ),
    );
  } catch (error) {
    if (!conditionFailed(error)) throw error;
  }
}
