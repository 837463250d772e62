import { UpdateCommand, type UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import type { ChangeOutcome, Delivery, DeliveryStore, HistoryEntry, StatusUpdate } from '../domain/delivery/delivery.js';
import { DELIVERY_STATUSES, STATUS_RANK } from '../domain/delivery/status.js';
import { fromItem } from './items.js';
import { keys } from './keys.js';
import { call, conditionFailed, entityItem, getItem, oldItem, putUnlessPresent, type Table } from './table.js';

const status = z.enum(DELIVERY_STATUSES);
const historyEntry = z.object({
  status,
  date: z.string(),
  source: z.string(),
  applied: z.boolean(),
  providerStatus: z.optional(z.string()),
  errorCode: z.optional(z.string()),
});

export const deliveryItem = z.object({
  messageId: z.string(),
  sessionId: z.string(),
  accountId: z.string(),
  channel: z.string(),
  provider: z.string(),
  attemptId: z.string(),
  invocationId: z.string(),
  claimedAt: z.string(),
  attempts: z.number(),
  segments: z.number(),
  encoding: z.string(),
  status,
  statusUpdatedAt: z.string(),
  providerMessageId: z.optional(z.string()),
  providerStatus: z.optional(z.string()),
  errorCode: z.optional(z.string()),
  errorMessage: z.optional(z.string()),
  history: z.array(historyEntry),
});

/**
 * The item: the delivery, its rank (what the conditions compare) and the ids of every change it has
 * taken (a string set: a report delivered twice is recognised by its id and kept once).
 */
export const deliveryRecord = (delivery: Delivery): Record<string, unknown> =>
  entityItem(keys.delivery(delivery.messageId), 'Delivery', {
    ...delivery,
    statusRank: STATUS_RANK[delivery.status],
    reportIds: new Set(delivery.history.map((entry) => `dispatch:${entry.status}`)),
  });

/** The claim: one PutItem, only if the message has no delivery yet; the existing one comes back in the same call when it has. */
export async function claimDelivery(table: Table, delivery: Delivery): Promise<Delivery | undefined> {
  const put = await putUnlessPresent(table, deliveryRecord(delivery));
  if (put.stored) return undefined;
  const existing = fromItem(deliveryItem, put.old) ?? (await getDelivery(table, delivery.messageId, true));
  if (!existing) throw new Error(`Delivery ${delivery.messageId} exists but could not be read`);
  return existing;
}

export const getDelivery = (table: Table, messageId: string, consistent = false): Promise<Delivery | undefined> =>
  getItem(table, keys.delivery(messageId), deliveryItem, consistent);

const entryOf = (change: StatusUpdate, applied: boolean): HistoryEntry => ({
  status: change.status,
  date: change.date,
  source: change.source,
  applied,
  ...(change.providerStatus === undefined ? {} : { providerStatus: change.providerStatus }),
  ...(change.errorCode === undefined ? {} : { errorCode: change.errorCode }),
});

/** The provider's message id, kept whichever way a change goes (a report may overtake the hand-off's own answer). */
const providerId = (change: StatusUpdate) =>
  change.providerMessageId === undefined
    ? { expression: '', values: {} }
    : { expression: ', providerMessageId = if_not_exists(providerMessageId, :pmid)', values: { ':pmid': change.providerMessageId } };

/**
 * The UpdateItem that applies a change: status, rank, history entry and report id together, only if
 * the rank moves forward and the report is new. Error fields the change does not carry are removed.
 */
export function applyChangeInput(tableName: string, messageId: string, change: StatusUpdate): UpdateCommandInput {
  const set: Record<string, unknown> = { status: change.status, statusRank: STATUS_RANK[change.status], statusUpdatedAt: change.date };
  if (change.attempts !== undefined) set.attempts = change.attempts;
  const removed: string[] = [];
  for (const name of ['providerStatus', 'errorCode', 'errorMessage'] as const) {
    if (change[name] === undefined) removed.push(name);
    else set[name] = change[name];
  }
  const names = Object.keys(set);
  const pmid = providerId(change);
  return {
    TableName: tableName,
    Key: keys.delivery(messageId),
    UpdateExpression: [
      `SET ${names.map((name) => `#${name} = :${name}`).join(', ')}, history = list_append(history, :entry)${pmid.expression}`,
      removed.length ? ` REMOVE ${removed.join(', ')}` : '',
      ' ADD reportIds :ids',
    ].join(''),
    ConditionExpression: 'attribute_exists(pk) AND statusRank < :statusRank AND NOT contains(reportIds, :id)',
    ExpressionAttributeNames: Object.fromEntries(names.map((name) => [`#${name}`, name])),
    ExpressionAttributeValues: {
      ...Object.fromEntries(names.map((name) => [`:${name}`, set[name]])),
      ':entry': [entryOf(change, true)],
      ':id': change.reportId,
      ':ids': new Set([change.reportId]),
      ...pmid.values,
    },
  };
}

/** The UpdateItem that keeps a change that did not apply in the history, once per report id. */
export function keepReportInput(tableName: string, messageId: string, change: StatusUpdate): UpdateCommandInput {
  const pmid = providerId(change);
  return {
    TableName: tableName,
    Key: keys.delivery(messageId),
    UpdateExpression: `SET history = list_append(history, :entry)${pmid.expression} ADD reportIds :ids`,
    ConditionExpression: 'attribute_exists(pk) AND NOT contains(reportIds, :id)',
    ExpressionAttributeValues: {
      ':entry': [entryOf(change, false)],
      ':id': change.reportId,
      ':ids': new Set([change.reportId]),
      ...pmid.values,
    },
    ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
  };
}

/**
 * One conditional write when the change moves the status forward and was not seen before; otherwise
 * a second keeps it in the history, unapplied. `duplicate` when its id was seen, `missing` when the
 * message has no delivery.
 */
export async function changeDelivery(table: Table, messageId: string, change: StatusUpdate): Promise<ChangeOutcome> {
  try {
    await call((options) => table.client.send(new UpdateCommand(applyChangeInput(table.name, messageId, change)), options));
    return 'applied';
  } catch (error) {
    if (!conditionFailed(error)) throw error;
  }
  try {
    await call((options) => table.client.send(new UpdateCommand(keepReportInput(table.name, messageId, change)), options));
    return 'kept';
  } catch (error) {
    if (!conditionFailed(error)) throw error;
    return oldItem(error) ? 'duplicate' : 'missing';
  }
}

/**
 * The deliveries as the domain's port. Here, not in lib/runtime-delivery.ts: the status functions use
 * it without the dispatcher's providers and segment counter.
 */
export const deliveryStore = (table: Table): DeliveryStore => ({
  claim: (delivery) => claimDelivery(table, delivery),
  change: (messageId, change) => changeDelivery(table, messageId, change),
  get: (messageId) => getDelivery(table, messageId),
});
