import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { IdempotencyRecord } from '../domain/ports.js';
import { fromItem, idempotencyItem } from './items.js';
import { keys } from './keys.js';
import { call, conditionFailed, entityItem, getItem, oldItem, type Table } from './table.js';

/**
 * One conditional put. An expired claim counts as absent: TTL deletion may lag by hours. When the
 * key is taken, the live claim comes back with the same request (ReturnValuesOnConditionCheckFailure);
 * it may be this very record, when the SDK retried a put whose first answer was lost, and the caller
 * treats it like any claim of the same request. A failed condition always yields the claim that
 * failed it: if the answer does not carry it, it is read (strongly consistent), never assumed absent.
 */
export async function claimIdempotencyKey(table: Table, record: IdempotencyRecord): Promise<IdempotencyRecord | undefined> {
  const key = keys.idempotency(record.accountId, record.keyHash);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await call((options) =>
        table.client.send(
          new PutCommand({
            TableName: table.name,
            Item: entityItem(key, 'Idempotency', record),
            ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :now',
            ExpressionAttributeValues: { ':now': Math.floor(record.createdAt / 1000) },
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
          options,
        ),
      );
      return undefined;
    } catch (error) {
      if (!conditionFailed(error)) throw error;
      const existing = fromItem(idempotencyItem, oldItem(error)) ?? (await getItem(table, key, idempotencyItem, true));
      if (existing) return existing;
      // The claim that failed the condition expired and was deleted meanwhile: claim again.
    }
  }
  throw new Error('An idempotency claim failed its condition twice but could not be read');
}
