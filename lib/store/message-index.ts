import { QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { encodeTime } from 'ulid';
import { ReadLimitExceeded, type MessageRange, type MessageScope } from '../domain/list-messages-query.js';
import type { StoredMessage } from '../domain/message-info.js';
import { fromItem, messageItem } from './items.js';
import {
  keys,
  MESSAGE_INDEX_SHARDS,
  MESSAGE_INDEX_SORT_KEY,
  MESSAGE_INDEXES,
  MESSAGE_PREFIX,
  messageIndexPartition,
  messageShard,
} from './keys.js';
import { call, type Table } from './table.js';

/**
 * A message's id and its date are taken at the same instant, so the id's ULID time is within this of
 * its date; a date bound becomes an id bound this much earlier, and the caller checks dates exactly.
 */
const ID_CLOCK_SLACK_MS = 1000;
/** Below and above every id character (ids are `A-Z a-z 0-9 _ . : -`): an open range's ends. */
const LOWEST = '!';
const HIGHEST = '~';
const FIRST_READ = { min: 5, max: 100 };
const MAX_READ = 500;

/** One partition to read, as a Query: its key condition and where it sorts. */
export interface Partition {
  indexName?: string;
  partitionKey: string;
  partitionValue: string;
  sortKey: string;
  sortPrefix: string;
}

/** The partitions of a scope: every shard of an index, or the session's own partition of the table. */
export function partitionsOf(scope: MessageScope): Partition[] {
  if (scope.kind === 'session') {
    return [{ partitionKey: 'pk', partitionValue: keys.message(scope.sessionId, '').pk, sortKey: 'sk', sortPrefix: MESSAGE_PREFIX }];
  }
  const { indexName, partitionKey } = MESSAGE_INDEXES[scope.kind];
  const owner = scope.kind === 'endpoint' ? scope.endpointId : scope.kind === 'customer' ? scope.customerId : undefined;
  return Array.from({ length: MESSAGE_INDEX_SHARDS }, (_, shard) => ({
    indexName,
    partitionKey,
    partitionValue: messageIndexPartition(scope.kind, scope.accountId, owner, shard),
    sortKey: MESSAGE_INDEX_SORT_KEY,
    sortPrefix: '',
  }));
}

/** The lowest id a message dated after `after` can have. */
export const lowestIdAfter = (after: Date): string =>
  `${encodeTime(Math.max(0, after.getTime() - ID_CLOCK_SLACK_MS), 10)}${'0'.repeat(16)}`;

/** The Query of one read of a partition: pure, so the key conditions are unit-tested. */
export function partitionQuery(
  table: Table,
  partition: Partition,
  range: Pick<MessageRange, 'descending' | 'after' | 'startAfter'>,
  limit: number,
  startKey?: Record<string, unknown>,
): QueryCommandInput {
  const after = range.after ? lowestIdAfter(range.after) : LOWEST;
  // BETWEEN is inclusive: the merge drops the startAfter message itself.
  const low = range.startAfter && !range.descending && range.startAfter > after ? range.startAfter : after;
  const start = range.startAfter && range.descending ? range.startAfter : HIGHEST;
  // A start before the date bound leaves nothing to read: an empty range, not an invalid BETWEEN.
  const high = start < low ? low : start;
  return {
    TableName: table.name,
    ...(partition.indexName ? { IndexName: partition.indexName } : {}),
    KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :low AND :high',
    ExpressionAttributeNames: { '#pk': partition.partitionKey, '#sk': partition.sortKey },
    ExpressionAttributeValues: {
      ':pk': partition.partitionValue,
      ':low': `${partition.sortPrefix}${low}`,
      ':high': `${partition.sortPrefix}${high}`,
    },
    ScanIndexForward: !range.descending,
    Limit: limit,
    ...(startKey ? { ExclusiveStartKey: startKey } : {}),
  };
}

interface Reader {
  partition: Partition;
  buffer: StoredMessage[];
  startKey?: Record<string, unknown>;
  done: boolean;
  limit: number;
}

const parse = (items: Record<string, unknown>[] = []): StoredMessage[] => items.map((item) => fromItem(messageItem, item)!);

/**
 * Reads the next chunk of a partition, under the invocation's deadline, at most `allowance` items;
 * chunks double, so a long read takes few round trips. Returns how many items it read.
 */
async function refill(table: Table, reader: Reader, range: MessageRange, allowance: number): Promise<number> {
  let read = 0;
  while (reader.buffer.length === 0 && !reader.done && read < allowance) {
    const limit = Math.min(reader.limit, allowance - read);
    const { Items = [], LastEvaluatedKey } = await call((options) =>
      table.client.send(new QueryCommand(partitionQuery(table, reader.partition, range, limit, reader.startKey)), options),
    );
    read += Items.length;
    reader.buffer = parse(Items);
    reader.startKey = LastEvaluatedKey;
    reader.done = LastEvaluatedKey === undefined;
    reader.limit = Math.min(reader.limit * 2, MAX_READ);
  }
  return read;
}

/**
 * The messages of every scope merged in id order (a k-way merge), read lazily: each partition is
 * read in chunks only when the merge needs its next message, the first chunk sized so that all of
 * them together cover about `range.hint` messages.
 */
export async function* scanMessages(table: Table, scopes: MessageScope[], range: MessageRange): AsyncGenerator<StoredMessage> {
  const partitions = scopes.flatMap(partitionsOf);
  if (partitions.length === 0) return;
  const first = Math.min(FIRST_READ.max, Math.max(FIRST_READ.min, Math.ceil(range.hint / partitions.length) + 1));
  const readers: Reader[] = partitions.map((partition) => ({ partition, buffer: [], done: false, limit: first }));
  const budget = { left: range.maxRead };
  const ahead = (a: string, b: string) => (range.descending ? a > b : a < b);
  let last = range.startAfter;
  for (;;) {
    const empty = readers.filter((r) => r.buffer.length === 0 && !r.done);
    if (empty.length) {
      // The partitions to refill share what is left of the budget, so the scan never reads more than maxRead.
      const share = Math.floor(budget.left / empty.length);
      if (share < 1) throw new ReadLimitExceeded();
      const read = await Promise.all(empty.map((r) => refill(table, r, range, share)));
      budget.left -= read.reduce((a, b) => a + b, 0);
    }
    let next: Reader | undefined;
    for (const reader of readers) if (reader.buffer[0] && (!next || ahead(reader.buffer[0].id, next.buffer[0]!.id))) next = reader;
    if (!next) return;
    const message = next.buffer.shift()!;
    if (message.id !== last) yield message;
    last = message.id;
  }
}

/** Messages by id within an account: the shard follows from the id, so each is one key lookup on the account index. */
export async function messagesByIds(table: Table, accountId: string, ids: string[]): Promise<StoredMessage[]> {
  const { indexName, partitionKey } = MESSAGE_INDEXES.account;
  const found = await Promise.all(
    ids.map(async (id) => {
      const { Items } = await call((options) =>
        table.client.send(
          new QueryCommand({
            TableName: table.name,
            IndexName: indexName,
            KeyConditionExpression: '#pk = :pk AND #id = :id',
            ExpressionAttributeNames: { '#pk': partitionKey, '#id': MESSAGE_INDEX_SORT_KEY },
            ExpressionAttributeValues: { ':pk': messageIndexPartition('account', accountId, undefined, messageShard(id)), ':id': id },
          }),
          options,
        ),
      );
      return parse(Items);
    }),
  );
  return found.flat();
}
