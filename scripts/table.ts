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

/** Creates the table (CloudFormation-only properties dropped), then turns on its TTL. An existing table is kept. */
export async function createTable(client: DynamoDBClient, tableName: string): Promise<void> {
  const { TableName: _name, TimeToLiveSpecification, PointInTimeRecoverySpecification: _pitr, ...definition } = tableDefinition() as TableResource['Properties'] & {
    PointInTimeRecoverySpecification?: unknown;
  };
  try {
    await client.send(new CreateTableCommand({ ...definition, TableName: tableName }));
  } catch (error) {
    if ((error as Error).name === 'ResourceInUseException') return;
    throw error;
  }
  if (TimeToLiveSpecification) {
    await client.send(new UpdateTimeToLiveCommand({ TableName: tableName, TimeToLiveSpecification }));
  }
}
