import { BatchGetCommand, GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Delivery } from '../domain/delivery/delivery.js';
import type { SweepPass, SweepStart, SweepStore } from '../domain/delivery/sweep.js';
import { deliveryItem } from './deliveries.js';
import { fromItem } from './items.js';
import { DIRECTORY, keys } from './keys.js';
import { lowestIdAfter, scanMessages } from './message-index.js';
import { call, conditionFailed, queryPrefix, type Table } from './table.js';

/** BatchGetItem's limit per request. */
const BATCH_GET = 100;
const ACCOUNT_PREFIX = 'ACCOUNT#';

/**
 * What the sweeper reads and writes (docs/table-design.md, "The sweeper"): no scan and no index of
 * its own. Accounts from the operators' directory (one small partition), their messages in id order
 * from the `byAccount` index (the merge ListMessages uses), deliveries by key, and one checkpoint item
 * per pass. `name` keeps the checkpoints of separate sweepers (the tests') apart.
 */
export function sweepStore(table: Table, name = 'sweeper'): SweepStore {
  return {
    async checkpoint(pass) {
      const { Item } = await call((options) =>
        table.client.send(new GetCommand({ TableName: table.name, Key: keys.sweepCheckpoint(name, pass), ConsistentRead: true }), options),
      );
      return typeof Item?.messageId === 'string' ? Item.messageId : undefined;
    },
    saveCheckpoint: (pass, messageId, previous) => saveCheckpoint(table, name, pass, messageId, previous),
    accounts: () => accountIds(table),
    messages: (accountIds, start, hint) => sweptMessages(table, accountIds, start, hint),
    deliveries: (messageIds) => deliveriesOf(table, messageIds),
  };
}

/** Only from the checkpoint the run started at: an overlapping run or a rewind that moved it meanwhile wins. */
async function saveCheckpoint(table: Table, name: string, pass: SweepPass, messageId: string, previous?: string): Promise<void> {
  try {
    await call((options) =>
      table.client.send(
        new UpdateCommand({
          TableName: table.name,
          Key: keys.sweepCheckpoint(name, pass),
          UpdateExpression: 'SET messageId = :id, #type = :type',
          ConditionExpression: previous === undefined ? 'attribute_not_exists(messageId)' : 'messageId = :previous',
          ExpressionAttributeNames: { '#type': 'type' },
          ExpressionAttributeValues: {
            ':id': messageId,
            ':type': 'SweepCheckpoint',
            ...(previous === undefined ? {} : { ':previous': previous }),
          },
        }),
        options,
      ),
    );
  } catch (error) {
    if (!conditionFailed(error)) throw error;
  }
}

/**
 * Moves a pass's checkpoint back to just before `date` (never forward), so that its next run looks at
 * every message from then again: how a dead-lettered stream pointer is replayed (scripts/admin/dlq.ts).
 * Returns the checkpoint's id.
 */
export async function rewindSweep(table: Table, pass: SweepPass, date: Date, name = 'sweeper'): Promise<string> {
  const messageId = lowestIdAfter(date);
  try {
    await call((options) =>
      table.client.send(
        new UpdateCommand({
          TableName: table.name,
          Key: keys.sweepCheckpoint(name, pass),
          UpdateExpression: 'SET messageId = :id, #type = :type',
          ConditionExpression: 'attribute_not_exists(messageId) OR messageId > :id',
          ExpressionAttributeNames: { '#type': 'type' },
          ExpressionAttributeValues: { ':id': messageId, ':type': 'SweepCheckpoint' },
        }),
        options,
      ),
    );
  } catch (error) {
    if (!conditionFailed(error)) throw error;
  }
  return messageId;
}

async function accountIds(table: Table): Promise<string[]> {
  const items = await queryPrefix(table, DIRECTORY, ACCOUNT_PREFIX, { ProjectionExpression: 'sk' });
  return items.map((item) => String(item.sk).slice(ACCOUNT_PREFIX.length));
}

const sweptMessages = (table: Table, accountIds: string[], start: SweepStart, hint: number) =>
  scanMessages(
    table,
    accountIds.map((accountId) => ({ kind: 'account', accountId })),
    // The pass consumes at most `hint` messages; the merge's read-ahead over every shard stays well within ten times that.
    {
      descending: false,
      hint,
      maxRead: hint * 10 + 1000,
      ...('afterId' in start ? { startAfter: start.afterId } : { after: start.after }),
    },
  );

/** By key, 100 per request; keys DynamoDB leaves unprocessed (throttling) are asked again. */
async function deliveriesOf(table: Table, messageIds: string[]): Promise<Map<string, Delivery>> {
  const found = new Map<string, Delivery>();
  for (let i = 0; i < messageIds.length; i += BATCH_GET) {
    let Keys: Record<string, unknown>[] | undefined = messageIds.slice(i, i + BATCH_GET).map((id) => ({ ...keys.delivery(id) }));
    for (let attempt = 0; Keys?.length; attempt++) {
      if (attempt) await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
      const page = await call((options) => table.client.send(new BatchGetCommand({ RequestItems: { [table.name]: { Keys } } }), options));
      for (const item of page.Responses?.[table.name] ?? []) {
        const delivery = fromItem(deliveryItem, item);
        if (delivery) found.set(delivery.messageId, delivery);
      }
      Keys = page.UnprocessedKeys?.[table.name]?.Keys;
    }
  }
  return found;
}
