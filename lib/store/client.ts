import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export interface TableConfig {
  tableName: string;
  /** DynamoDB Local's URL; unset in AWS. */
  endpoint?: string | undefined;
}

/**
 * One client per container. Short timeouts and two attempts: a Lambda behind API Gateway has
 * seconds, not minutes, and a fast 503 with Retry-After serves callers better than a hang.
 */
export function createDocumentClient(config: TableConfig): DynamoDBDocumentClient {
  const client = new DynamoDBClient({
    ...(config.endpoint ? { endpoint: config.endpoint } : {}),
    maxAttempts: 2,
    // Without throwOnRequestTimeout the SDK only logs a request that outlives requestTimeout, and waits on.
    requestHandler: { connectionTimeout: 1000, requestTimeout: 3000, throwOnRequestTimeout: true },
  });
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}
