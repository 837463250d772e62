import { GetCommand, PutCommand, QueryCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type * as z from 'zod/mini';
import { DomainError } from '../domain/errors.js';
import type { Created } from '../domain/ports.js';
import { deadlineSignal, timeLeft } from '../deadline.js';
import { fromItem } from './items.js';
import type { Key } from './keys.js';

/** What every repository function receives: the client and the table's name. */
export interface Table {
  client: DynamoDBDocumentClient;
  name: string;
}

const RETRYABLE = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'InternalServerError',
  'ServiceUnavailable',
  'TimeoutError',
  // Our own deadline (lib/deadline.ts) cut the call short: whether it landed is unknown.
  'AbortError',
  'TransactionConflictException',
  'TransactionInProgressException',
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
]);

/** True for failures a caller should simply retry later (503 with Retry-After), not bugs. */
export function isTransient(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: string }).code;
  return RETRYABLE.has(error.name) || (code !== undefined && RETRYABLE.has(code)) || isTransient(error.cause);
}

const unavailable = (cause?: unknown): DomainError =>
  new DomainError('unavailable', 'The message store is unavailable; retry later', [], { cause });

/**
 * Runs one DynamoDB call, aborted at the invocation's deadline and never started after it; an outage
 * becomes the domain's `unavailable` (503), anything else is rethrown as is.
 */
export async function call<T>(operation: (options: { abortSignal?: AbortSignal }) => Promise<T>): Promise<T> {
  if (timeLeft() <= 0) throw unavailable(new Error('The invocation has no time left for another call'));
  const abortSignal = deadlineSignal();
  try {
    return await operation(abortSignal ? { abortSignal } : {});
  } catch (error) {
    if (isTransient(error)) throw unavailable(error);
    throw error;
  }
}

/** One GetItem, its item validated by `schema`; undefined when there is none. */
export async function getItem<S extends z.ZodMiniType>(
  table: Table,
  key: Key,
  schema: S,
  consistent = false,
): Promise<z.infer<S> | undefined> {
  const { Item } = await call((options) =>
    table.client.send(new GetCommand({ TableName: table.name, Key: key, ConsistentRead: consistent }), options),
  );
  return fromItem(schema, Item);
}

/** An entity's item: its key and `type` (for people reading the table) after the value, so that no value can replace them. */
export const entityItem = (key: Key, type: string, value: object): Record<string, unknown> => ({ ...value, ...key, type });

/** One unconditional PutItem of an entity under its key. */
export async function putEntity(table: Table, key: Key, type: string, value: object): Promise<void> {
  await call((options) => table.client.send(new PutCommand({ TableName: table.name, Item: entityItem(key, type, value) }), options));
}

export const conditionFailed = (error: unknown): boolean => error instanceof Error && error.name === 'ConditionalCheckFailedException';

/** The item a failed condition returned (ReturnValuesOnConditionCheckFailure: ALL_OLD); the document client leaves it marshalled. */
export function oldItem(error: unknown): Record<string, unknown> | undefined {
  const { Item } = error as { Item?: Parameters<typeof unmarshall>[0] };
  return Item && unmarshall(Item);
}

/**
 * One conditional PutItem (`attribute_not_exists(pk)` unless `condition` says otherwise). Stored:
 * `{ stored: true }`. Refused by the condition: the item that refused it, in the same call (ALL_OLD;
 * `old` is undefined if the answer did not carry it, and the caller reads it instead).
 */
export async function putUnlessPresent(
  table: Table,
  Item: Record<string, unknown>,
  condition: { expression: string; values?: Record<string, unknown> } = { expression: 'attribute_not_exists(pk)' },
): Promise<{ stored: true } | { stored: false; old: Record<string, unknown> | undefined }> {
  try {
    await call((options) =>
      table.client.send(
        new PutCommand({
          TableName: table.name,
          Item,
          ConditionExpression: condition.expression,
          ...(condition.values ? { ExpressionAttributeValues: condition.values } : {}),
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
        options,
      ),
    );
    return { stored: true };
  } catch (error) {
    if (!conditionFailed(error)) throw error;
    return { stored: false, old: oldItem(error) };
  }
}

interface CancellationReason {
  Code?: string;
}

/** Why a transaction was cancelled: a lost race (a condition failed), or a transient cause (throttling, a conflicting transaction). */
function cancellation(error: unknown): 'race' | 'transient' | undefined {
  if (!(error instanceof Error) || error.name !== 'TransactionCanceledException') return undefined;
  const reasons = (error as { CancellationReasons?: CancellationReason[] }).CancellationReasons ?? [];
  return reasons.some((reason) => reason.Code === 'ConditionalCheckFailed') ? 'race' : 'transient';
}

const MAX_ATTEMPTS = 4;
const backoff = (attempt: number) => new Promise((resolve) => setTimeout(resolve, 25 * 2 ** attempt * Math.random()));

/**
 * Creates related items together, each only if absent (one transaction of conditional puts), for
 * things that must exist once however many requests race to create them. When a condition fails,
 * `winner()` reads what the race's winner created (strongly consistent); if nothing is there yet the
 * winner's transaction is still in flight, and the creation is tried again. Throttling and conflicts
 * with other transactions are retried with jittered backoff, then answered as `unavailable` (503).
 */
export async function createOnce<T>(
  table: Table,
  items: Record<string, unknown>[],
  created: T,
  winner: () => Promise<T | undefined>,
): Promise<Created<T>> {
  const TransactItems = items.map((Item) => ({ Put: { TableName: table.name, Item, ConditionExpression: 'attribute_not_exists(pk)' } }));
  for (let attempt = 1; ; attempt++) {
    try {
      await call((options) => table.client.send(new TransactWriteCommand({ TransactItems }), options));
      return { value: created, created: true };
    } catch (error) {
      const cause = cancellation(error);
      if (!cause) throw error;
      if (cause === 'race') {
        const existing = await winner();
        if (existing) return { value: existing, created: false };
      }
      if (attempt >= MAX_ATTEMPTS) throw unavailable(error);
      await backoff(attempt);
    }
  }
}

/** Every item of a partition whose sort key starts with `prefix`, all pages (small partitions only). */
export async function queryPrefix(
  table: Table,
  pk: string,
  prefix: string,
  extra: { ConsistentRead?: boolean; ProjectionExpression?: string } = {},
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await call((options) =>
      table.client.send(
        new QueryCommand({
          TableName: table.name,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': pk, ':prefix': prefix },
          ...extra,
          ExclusiveStartKey,
        }),
        options,
      ),
    );
    items.push(...(page.Items ?? []));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return items;
}
