import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';

/**
 * The baseline every figure is a ratio to: a bare handler holding only the DynamoDB document
 * client, doing one PutItem per request, of the request's body (so both sides store as much).
 */
const client = DynamoDBDocumentClient.from(
  new DynamoDBClient(process.env.DYNAMODB_ENDPOINT ? { endpoint: process.env.DYNAMODB_ENDPOINT } : {}),
);
let n = 0;

export const handler = async (event: { body?: string }) => {
  const id = `${Date.now()}-${process.pid}-${n++}`;
  await client.send(
    new PutCommand({ TableName: process.env.TABLE_NAME, Item: { pk: `BENCH#${id}`, sk: 'BENCH', text: event.body ?? '' } }),
  );
  return { statusCode: 200, body: JSON.stringify({ id }) };
};
