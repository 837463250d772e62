import { DeleteCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import { CALLBACK_EVENTS } from '../domain/callbacks/events.js';
import type { Subscription, SubscriptionTarget } from '../domain/callbacks/subscriptions.js';
import { fromItem } from './items.js';
import { CALLBACK_SUBSCRIPTION_PREFIX, keys } from './keys.js';
import { call, entityItem, getItem, type Table } from './table.js';

const subscriptionItem = z.object({
  subscriptionId: z.string(),
  accountId: z.string(),
  url: z.string(),
  events: z.array(z.enum(CALLBACK_EVENTS)),
  secrets: z.array(z.object({ secret: z.string(), createdAt: z.string(), expiresAt: z.optional(z.number()) })),
  createdAt: z.string(),
});

const targetItem = z.pick(subscriptionItem, { subscriptionId: true, accountId: true, events: true });

const key = (s: Pick<Subscription, 'accountId' | 'subscriptionId'>) => keys.callbackSubscription(s.accountId, s.subscriptionId);

/** Writes the subscription; `fresh`: only if absent (a new one), else only if present (a rotation). */
export async function putSubscription(table: Table, subscription: Subscription, fresh: boolean): Promise<void> {
  await call((options) =>
    table.client.send(
      new PutCommand({
        TableName: table.name,
        Item: entityItem(key(subscription), 'CallbackSubscription', subscription),
        ConditionExpression: fresh ? 'attribute_not_exists(pk)' : 'attribute_exists(pk)',
      }),
      options,
    ),
  );
}

export const getSubscription = (
  table: Table,
  accountId: string,
  subscriptionId: string,
  consistent = false,
): Promise<Subscription | undefined> => getItem(table, keys.callbackSubscription(accountId, subscriptionId), subscriptionItem, consistent);

/** An account's subscriptions: one partition, a handful of items. */
export async function listSubscriptions(table: Table, accountId: string): Promise<Subscription[]> {
  return (await querySubscriptions(table, accountId)).map((item) => fromItem(subscriptionItem, item)!);
}

/**
 * What the fan-out needs of an account's subscriptions, and no more: no URL, no secret is read
 * (callback-events' role may read only these attributes, serverless.yml).
 */
export async function listSubscriptionTargets(table: Table, accountId: string): Promise<SubscriptionTarget[]> {
  const projection = { Select: 'SPECIFIC_ATTRIBUTES', ProjectionExpression: 'subscriptionId, accountId, events' } as const;
  return (await querySubscriptions(table, accountId, projection)).map((item) => fromItem(targetItem, item)!);
}

async function querySubscriptions(
  table: Table,
  accountId: string,
  projection?: { Select: 'SPECIFIC_ATTRIBUTES'; ProjectionExpression: string },
): Promise<Record<string, unknown>[]> {
  const { Items = [] } = await call((options) =>
    table.client.send(
      new QueryCommand({
        TableName: table.name,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': keys.callbackSubscription(accountId, '').pk, ':prefix': CALLBACK_SUBSCRIPTION_PREFIX },
        ...projection,
      }),
      options,
    ),
  );
  return Items;
}

export async function deleteSubscription(table: Table, accountId: string, subscriptionId: string): Promise<boolean> {
  const { Attributes } = await table.client.send(
    new DeleteCommand({ TableName: table.name, Key: keys.callbackSubscription(accountId, subscriptionId), ReturnValues: 'ALL_OLD' }),
  );
  return Attributes !== undefined;
}
