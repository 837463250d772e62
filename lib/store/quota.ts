import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from './keys.js';
import { call, type Table } from './table.js';

/** Kept two days past its own, then removed by TTL. */
const KEEP_SECONDS = 3 * 86_400;

/** Adds `count` to the account's day and returns the day's total (one UpdateItem; `count` 0 only reads). */
export async function addToQuota(table: Table, accountId: string, day: string, count: number): Promise<number> {
  const { Attributes } = await call((options) =>
    table.client.send(
      new UpdateCommand({
        TableName: table.name,
        Key: keys.quota(accountId, day),
        UpdateExpression: 'ADD #count :count SET #type = :type, expiresAt = :expiresAt',
        ExpressionAttributeNames: { '#count': 'count', '#type': 'type' },
        ExpressionAttributeValues: { ':count': count, ':type': 'Quota', ':expiresAt': Date.parse(day) / 1000 + KEEP_SECONDS },
        ReturnValues: 'UPDATED_NEW',
      }),
      options,
    ),
  );
  const total = Attributes?.count;
  if (typeof total !== 'number') throw new Error(`The quota counter of ${accountId} holds ${String(total)}`);
  return total;
}
