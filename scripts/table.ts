import { CreateTableCommand, DynamoDBClient, UpdateTimeToLiveCommand, type CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

interface TableResource {
  Properties: CreateTableCommandInput & { TimeToLiveSpecification?: { AttributeName: string; Enabled: boolean } };
}

/** The table as serverless.yml defines it: one definition for AWS and for DynamoDB Local. */
export function tableDefinition(file = new URL('../serverless.yml', import.meta.url)): TableResource['Properties'] {
  const config = parse(readFileSync(file, 'utf8')) as { resources: { Resources: { MessagesTable: TableResource } } };
  return config.resources.Resources.MessagesTable.Properties;
}

/**
 * Creates the table (CloudFormation-only properties dropped) with its global secondary indexes (their
 * CloudFormation and API shapes are the same), then turns on its TTL. An existing table is kept.
 * `indexes: false` leaves the indexes out: the bench's "before" table, to measure what they cost.
 */
export async function createTable(client: DynamoDBClient, tableName: string, options: { indexes?: boolean } = {}): Promise<void> {
  const { TableName: _name, TimeToLiveSpecification, PointInTimeRecoverySpecification: _pitr, GlobalSecondaryIndexes, AttributeDefinitions = [], ...definition } =
    tableDefinition() as TableResource['Properties'] & { PointInTimeRecoverySpecification?: unknown };
  const keyNames = new Set(definition.KeySchema?.map((k) => k.AttributeName));
  const indexed = options.indexes === false ? { AttributeDefinitions: AttributeDefinitions.filter((a) => keyNames.has(a.AttributeName)) } : { AttributeDefinitions, GlobalSecondaryIndexes };
  try {
    await client.send(new CreateTableCommand({ ...definition, ...indexed, TableName: tableName }));
  } catch (error) {
    if ((error as Error).name === 'ResourceInUseException') return;
    throw error;
  }
  if (TimeToLiveSpecification) {
    await client.send(new UpdateTimeToLiveCommand({ TableName: tableName, TimeToLiveSpecification }));
  }
}
