import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
  type CreateTableCommandInput,
} from '@aws-sdk/client-dynamodb';
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
 * CloudFormation and API shapes are the same) only if it is missing, waits until it is active, then
 * turns on its TTL. An existing table is kept as it is: it may be a shared one, and a user allowed to
 * use a table in AWS is not always allowed to create one. `indexes: false` leaves the indexes out:
 * the bench's "before" table, to measure what they cost.
 */
export async function createTable(client: DynamoDBClient, tableName: string, options: { indexes?: boolean } = {}): Promise<void> {
  try {
    await client.send(new DescribeTableCommand({ TableName: tableName }));
    return;
  } catch (error) {
    if ((error as Error).name !== 'ResourceNotFoundException') throw error;
  }
  const {
    TableName: _name,
    TimeToLiveSpecification,
    PointInTimeRecoverySpecification: _pitr,
    GlobalSecondaryIndexes,
    AttributeDefinitions = [],
    ...definition
  } = tableDefinition() as TableResource['Properties'] & { PointInTimeRecoverySpecification?: unknown };
  const keyNames = new Set(definition.KeySchema?.map((k) => k.AttributeName));
  const indexed =
    options.indexes === false
      ? { AttributeDefinitions: AttributeDefinitions.filter((a) => keyNames.has(a.AttributeName)) }
      : { AttributeDefinitions, GlobalSecondaryIndexes };
  const active = () => waitUntilTableExists({ client, maxWaitTime: 300 }, { TableName: tableName });
  // CloudFormation names only the view type; the API also wants the stream turned on.
  const stream = definition.StreamSpecification ? { StreamSpecification: { ...definition.StreamSpecification, StreamEnabled: true } } : {};
  try {
    await client.send(new CreateTableCommand({ ...definition, ...indexed, ...stream, TableName: tableName }));
  } catch (error) {
    // Another stack on the same DynamoDB created it meanwhile, and turns on its TTL.
    if ((error as Error).name === 'ResourceInUseException') return void (await active());
    throw error;
  }
  await active();
  if (TimeToLiveSpecification) {
    await client.send(new UpdateTimeToLiveCommand({ TableName: tableName, TimeToLiveSpecification }));
  }
}
