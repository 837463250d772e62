import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';

/**
 * The baseline writing what a send writes: the newest message stored in the demo session (read once,
 * at the first call, with its three index keys) under a new sort key, with the send's condition. Next
 * to bench/baseline.ts it splits a warm send's extra time into the store's share (this item against
 * the bare one) and the handler's (a send against this). A send must have stored a message first.
 */
const client = DynamoDBDocumentClient.from(
  new DynamoDBClient(process.env.DYNAMODB_ENDPOINT ? { endpoint: process.env.DYNAMODB_ENDPOINT } : {}),
);
const TableName = process.env.TABLE_NAME;
let item: Promise<Record<string, unknown>> | undefined;
let n = 0;

const newestMessage = async () => {
  const { Items = [] } = await client.send(
    new QueryCommand({
      TableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :message)',
      ExpressionAttributeValues: { ':pk': 'SESSION#ses_demo', ':message': 'MESSAGE#' },
      ScanIndexForward: false,
      Limit: 1,
    }),
  );
  if (!Items[0]) throw new Error('bench/baseline-item.ts: no message in ses_demo yet');
  return Items[0];
};

export const handler = async () => {
  const stored = await (item ??= newestMessage());
  // A message id of its own (a copy, not a duplicate of the stored message in ListMessages' indexes).
  const id = `${String(stored.id)}-${process.pid}-${n++}`;
  const Item = { ...stored, id, sk: `MESSAGE#${id}` };
  await client.send(
    new PutCommand({ TableName, Item, ConditionExpression: 'attribute_not_exists(pk)', ReturnValuesOnConditionCheckFailure: 'ALL_OLD' }),
  );
  return { statusCode: 200, body: JSON.stringify({ id }) };
};
