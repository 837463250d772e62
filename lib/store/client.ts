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
    requestHandler: { connectionTimeout: 1000, requestTimeout: 3000 },
  });
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}
