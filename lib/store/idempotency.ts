import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { IdempotencyRecord } from '../domain/ports.js';
import { fromItem, idempotencyItem } from './items.js';
import { keys } from './keys.js';
import { call, conditionFailed, type Table } from './table.js';

type Values = Record<string, string | number>;

/** Puts the claim under a condition; resolves to the existing item when the condition failed. */
async function putClaim(table: Table, record: IdempotencyRecord, condition: string, values: Values): Promise<{ stored: boolean; existing?: IdempotencyRecord }> {
  try {
    await call(() =>
      table.client.send(
        new PutCommand({
          TableName: table.name,
          Item: { ...keys.idempotency(record.accountId, record.keyHash), type: 'Idempotency', ...record },
          ConditionExpression: condition,
          ExpressionAttributeValues: values,
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      ),
    );
    return { stored: true };
  } catch (error) {
    if (!conditionFailed(error)) throw error;
    // The document client does not unmarshall the item that comes back with the error.
    const { Item } = error as { Item?: Parameters<typeof unmarshall>[0] };
    return { stored: false, existing: fromItem(idempotencyItem, Item && unmarshall(Item)) };
  }
}

/**
 * One conditional put. An expired claim counts as absent: TTL deletion may lag by hours. When the
 * key is taken, the live claim comes back with the same request (ReturnValuesOnConditionCheckFailure).
 */
export async function claimIdempotencyKey(table: Table, record: IdempotencyRecord): Promise<IdempotencyRecord | undefined> {
  const { existing } = await putClaim(table, record, 'attribute_not_exists(pk) OR expiresAt < :now', { ':now': Math.floor(record.createdAt / 1000) });
  return existing;
}

/** Replaces a dead sender's claim, unless another request replaced it first. */
export async function takeOverIdempotencyKey(table: Table, stale: IdempotencyRecord, record: IdempotencyRecord): Promise<boolean> {
  const condition = 'createdAt = :stale AND messageId = :staleMessage';
  return (await putClaim(table, record, condition, { ':stale': stale.createdAt, ':staleMessage': stale.messageId })).stored;
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
