import { ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { fromItem, messageItem } from './items.js';
import { MESSAGE_INDEXES, MESSAGE_PREFIX, messageIndexKeys } from './keys.js';
import { call, conditionFailed, type Table } from './table.js';

const INDEX_ATTRIBUTES = Object.values(MESSAGE_INDEXES).map((index) => index.partitionKey);

/**
 * Gives messages stored before the ListMessages indexes their index attributes, so that the indexes
 * list them too. A one-off migration after deploying the indexes: it scans the table once, reads only
 * messages that lack an attribute, and updates each (4 WCU: the table and the three indexes). It can
 * be interrupted and run again; `segment`/`segments` split the scan between parallel runs.
 */
export async function backfillMessageIndexes(table: Table, options: { segment?: number; segments?: number } = {}): Promise<number> {
  const missing = INDEX_ATTRIBUTES.map((_, i) => `attribute_not_exists(#i${i})`).join(' OR ');
  const names = Object.fromEntries(INDEX_ATTRIBUTES.map((name, i) => [`#i${i}`, name]));
  let updated = 0;
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await call(() =>
      table.client.send(
        new ScanCommand({
          TableName: table.name,
          FilterExpression: `begins_with(sk, :message) AND (${missing})`,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: { ':message': MESSAGE_PREFIX },
          ExclusiveStartKey: startKey,
          ...(options.segments ? { Segment: options.segment ?? 0, TotalSegments: options.segments } : {}),
        }),
      ),
    );
    for (const item of page.Items ?? []) if (await addIndexKeys(table, item)) updated++;
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return updated;
}

async function addIndexKeys(table: Table, item: Record<string, unknown>): Promise<boolean> {
  const message = fromItem(messageItem, item)!;
  const values = Object.entries(messageIndexKeys(message));
  try {
    await call(() =>
      table.client.send(
        new UpdateCommand({
          TableName: table.name,
          Key: { pk: item.pk, sk: item.sk },
          UpdateExpression: `SET ${values.map((_, i) => `#a${i} = :v${i}`).join(', ')}`,
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeNames: Object.fromEntries(values.map(([name], i) => [`#a${i}`, name])),
          ExpressionAttributeValues: Object.fromEntries(values.map(([, value], i) => [`:v${i}`, value])),
        }),
      ),
    );
    return true;
  } catch (error) {
    if (conditionFailed(error)) return false;
    throw error;
  }
}
