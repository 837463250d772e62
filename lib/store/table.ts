import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DomainError } from '../domain/errors.js';

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

export const conditionFailed = (error: unknown): boolean =>
  error instanceof Error && error.name === 'ConditionalCheckFailedException';
