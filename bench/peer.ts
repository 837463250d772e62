import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';

/**
 * The idiomatic peer (issue 25): the same send written the way the Powertools and middy docs show it.
 * middy with Logger's `injectLambdaContext` and Metrics' `logMetrics` (one count per request, flushed
 * by the middleware), a full `zod` schema's parse of the JSON body (the docs import `zod`, not
 * `zod/mini`), one PutItem, 200 with JSON. It authenticates nobody and checks no session: our send
 * does both from per-container caches, so on a warm send they cost CPU, not calls.
 *
 * The item is the one bench/baseline-item.ts puts (the newest message of the session, read once per
 * container, with its three index keys) under a new id, with the request's text: the same bytes to
 * DynamoDB as our send, so that the comparison is of the handlers.
 */
const logger = new Logger({ serviceName: 'messaging-api-peer' });
const metrics = new Metrics({ namespace: 'messaging-api-peer', serviceName: 'messaging-api-peer' });
const client = DynamoDBDocumentClient.from(
  new DynamoDBClient(process.env.DYNAMODB_ENDPOINT ? { endpoint: process.env.DYNAMODB_ENDPOINT } : {}),
);
const TableName = process.env.TABLE_NAME;

const SendMessage = z.object({ body: z.string().trim().min(1).max(1600) });

const JSON_TYPE = { 'content-type': 'application/json' };
const templates = new Map<string, Promise<Record<string, unknown>>>();
const newestMessage = async (sessionId: string) => {
  const { Items = [] } = await client.send(
    new QueryCommand({
      TableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :message)',
      ExpressionAttributeValues: { ':pk': `SESSION#${sessionId}`, ':message': 'MESSAGE#' },
      ScanIndexForward: false,
      Limit: 1,
    }),
  );
  if (!Items[0]) throw new Error(`bench/peer.ts: no message in ${sessionId} yet`);
  return Items[0];
};

const lambdaHandler = async (event: APIGatewayProxyEventV2) => {
  const parsed = SendMessage.safeParse(JSON.parse(event.body ?? 'null'));
  if (!parsed.success) return { statusCode: 400, headers: JSON_TYPE, body: JSON.stringify({ errors: parsed.error.issues }) };
  const { body } = parsed.data;
  const sessionId = event.pathParameters?.sessionId ?? '';
  let template = templates.get(sessionId);
  if (!template) templates.set(sessionId, (template = newestMessage(sessionId)));
  const id = randomUUID();
  const Item: Record<string, unknown> = { ...(await template), id, sk: `MESSAGE#${id}`, text: body, date: new Date().toISOString() };
  await client.send(new PutCommand({ TableName, Item, ConditionExpression: 'attribute_not_exists(pk)' }));
  metrics.addMetric('Accepted', MetricUnit.Count, 1);
  const { pk: _pk, sk: _sk, ...message } = Item;
  return { statusCode: 200, headers: JSON_TYPE, body: JSON.stringify(message) };
};

export const handler = middy(lambdaHandler).use(injectLambdaContext(logger)).use(logMetrics(metrics));
