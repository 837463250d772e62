import { GetCommand, PutCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type * as z from 'zod/mini';
import { DomainError } from '../domain/errors.js';
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

/** Runs one DynamoDB call; an outage becomes the domain's `unavailable`, anything else is rethrown as is. */
export async function call<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    if (isTransient(error)) throw new DomainError('unavailable', 'The message store is unavailable; retry later', [], { cause: error });
    throw error;
  }
}

/** One GetItem, its item validated by `schema`; undefined when there is none. */
export async function getItem<S extends z.ZodMiniType>(table: Table, key: Key, schema: S, consistent = false): Promise<z.infer<S> | undefined> {
  const { Item } = await call(() => table.client.send(new GetCommand({ TableName: table.name, Key: key, ConsistentRead: consistent })));
  return fromItem(schema, Item);
}

/** One unconditional PutItem of an entity under its key, tagged with its `type` for people reading the table. */
export async function putEntity(table: Table, key: Key, type: string, value: object): Promise<void> {
  await call(() => table.client.send(new PutCommand({ TableName: table.name, Item: { ...key, type, ...value } })));
}

export const conditionFailed = (error: unknown): boolean =>
  error instanceof Error && error.name === 'ConditionalCheckFailedException';

const cancelled = (error: unknown): boolean =>
  error instanceof Error && (error.name === 'TransactionCanceledException' || error.name === 'TransactionConflictException');

const MAX_CONFLICT_RETRIES = 3;

/**
 * Creates related items together, each only if absent (one transaction of conditional puts), for
 * things that must exist once however many requests race to create them. When the transaction is
 * cancelled, `winner()` reads what the race's winner created (strongly consistent); if nothing is
 * there yet the winner's transaction is still in flight, and the creation is tried again.
 */
export async function createOnce<T>(table: Table, items: Record<string, unknown>[], created: T, winner: () => Promise<T | undefined>): Promise<T> {
  const TransactItems = items.map((Item) => ({ Put: { TableName: table.name, Item, ConditionExpression: 'attribute_not_exists(pk)' } }));
  for (let attempt = 0; ; attempt++) {
    try {
      await call(() => table.client.send(new TransactWriteCommand({ TransactItems })));
      return created;
    } catch (error) {
      if (!cancelled(error)) throw error;
      const existing = await winner();
      if (existing) return existing;
      if (attempt >= MAX_CONFLICT_RETRIES) throw error;
    }
  }
}
