import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';

/**
 * The baseline writing what a send writes: a stored message item (BENCH_ITEM, read at start, with
 * its three index keys) under a new sort key, with the send's condition. Next to bench/baseline.ts it
 * splits a warm send's extra time into the store's share (this item against the bare one) and the
 * handler's (a send against this).
 */
const client = DynamoDBDocumentClient.from(new DynamoDBClient(process.env.DYNAMODB_ENDPOINT ? { endpoint: process.env.DYNAMODB_ENDPOINT } : {}));
const item = JSON.parse(process.env.BENCH_ITEM ?? '{}') as Record<string, unknown>;
let n = 0;

export const handler = async () => {
  const id = `${Date.now()}-${process.pid}-${n++}`;
  await client.send(
    new PutCommand({
      TableName: process.env.TABLE_NAME,
      Item: { ...item, sk: `MESSAGE#BENCH${id}` },
      ConditionExpression: 'attribute_not_exists(pk)',
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    }),
  );
  return { statusCode: 200, body: JSON.stringify({ id }) };
};
