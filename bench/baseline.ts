import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';

/**
 * The baseline every figure is a ratio to: a bare handler holding only the DynamoDB document
 * client, doing one PutItem per request.
 */
const client = DynamoDBDocumentClient.from(new DynamoDBClient(process.env.DYNAMODB_ENDPOINT ? { endpoint: process.env.DYNAMODB_ENDPOINT } : {}));
let n = 0;

export const handler = async () => {
  const id = `${Date.now()}-${process.pid}-${n++}`;
  await client.send(new PutCommand({ TableName: process.env.TABLE_NAME, Item: { pk: `BENCH#${id}`, sk: 'BENCH', text: 'baseline' } }));
  return { statusCode: 200, body: JSON.stringify({ id }) };
};
