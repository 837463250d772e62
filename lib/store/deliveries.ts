import { UpdateCommand, type UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import {
  matchesDelivery,
  type ChangeOutcome,
  type Delivery,
  type DeliveryStore,
  type HistoryEntry,
  type StatusUpdate,
} from '../domain/delivery/delivery.js';
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
  rejected: z.optional(z.literal('provider-mismatch')),
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

const entryOf = (change: StatusUpdate, applied: boolean, rejected?: HistoryEntry['rejected']): HistoryEntry => ({
  status: change.status,
  date: change.date,
  source: change.source,
  applied,
  ...(rejected === undefined ? {} : { rejected }),
  ...(change.providerStatus === undefined ? {} : { providerStatus: change.providerStatus }),
  ...(change.errorCode === undefined ? {} : { errorCode: change.errorCode }),
});

interface Expression {
  condition: string;
  update: string;
  values: Record<string, unknown>;
}

/**
 * What binds a change to its delivery, and the provider message id it records. The dispatcher's own
 * id is the provider's answer to the hand-off: it is recorded as is. A report must name the
 * delivery's provider and its recorded id; overtaking the hand-off's answer (none recorded yet), its
 * id is recorded.
 */
function binding(change: StatusUpdate): Expression {
  if (change.match) {
    return {
      condition: ' AND #provider = :provider AND (attribute_not_exists(providerMessageId) OR providerMessageId = :pmid)',
      update: ', providerMessageId = if_not_exists(providerMessageId, :pmid)',
      values: { ':provider': change.match.provider, ':pmid': change.match.providerMessageId },
    };
  }
  if (change.providerMessageId !== undefined) {
    return { condition: '', update: ', providerMessageId = :pmid', values: { ':pmid': change.providerMessageId } };
  }
  return { condition: '', update: '', values: {} };
}

/**
 * The UpdateItem that applies a change: status, rank, history entry and report id together, only if
 * the rank moves forward, the report is new and, for a report, it is its delivery's. Error fields the
 * change does not carry are removed. Refused, it returns the item as it was, to tell why.
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
  const bound = binding(change);
  return {
    TableName: tableName,
    Key: keys.delivery(messageId),
    UpdateExpression: [
      `SET ${names.map((name) => `#${name} = :${name}`).join(', ')}, history = list_append(history, :entry)${bound.update}`,
      removed.length ? ` REMOVE ${removed.join(', ')}` : '',
      ' ADD reportIds :ids',
    ].join(''),
    ConditionExpression: `attribute_exists(pk) AND statusRank < :statusRank AND NOT contains(reportIds, :id)${bound.condition}`,
    ExpressionAttributeNames: {
      ...Object.fromEntries(names.map((name) => [`#${name}`, name])),
      ...(change.match ? { '#provider': 'provider' } : {}),
    },
    ExpressionAttributeValues: {
      ...Object.fromEntries(names.map((name) => [`:${name}`, set[name]])),
      ':entry': [entryOf(change, true)],
      ':id': change.reportId,
      ':ids': new Set([change.reportId]),
      ...bound.values,
    },
    ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
  };
}

/**
 * The UpdateItem that keeps a change that did not apply in the history, once per report id: `kept`
 * (late, out of order: a report that is its delivery's, whose id it records if none is yet) or
 * `rejected` (another provider's message: nothing of it is recorded but the entry). The condition
 * holds the verdict, so that a race between the two writes is seen, not written wrong.
 */
export function keepReportInput(
  tableName: string,
  messageId: string,
  change: StatusUpdate,
  verdict: 'kept' | 'rejected',
): UpdateCommandInput {
  const bound = verdict === 'kept' ? binding(change) : undefined;
  const mismatch = verdict === 'rejected' ? binding(change) : undefined;
  return {
    TableName: tableName,
    Key: keys.delivery(messageId),
    UpdateExpression: `SET history = list_append(history, :entry)${bound?.update ?? ''} ADD reportIds :ids`,
    ConditionExpression: [
      'attribute_exists(pk) AND NOT contains(reportIds, :id)',
      bound?.condition ?? '',
      mismatch ? ` AND NOT (${mismatch.condition.slice(' AND '.length)})` : '',
    ].join(''),
    ...(change.match ? { ExpressionAttributeNames: { '#provider': 'provider' } } : {}),
    ExpressionAttributeValues: {
      ':entry': [entryOf(change, false, verdict === 'rejected' ? 'provider-mismatch' : undefined)],
      ':id': change.reportId,
      ':ids': new Set([change.reportId]),
      ...(bound ?? mismatch)?.values,
    },
    ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
  };
}

/** Why an applying write was refused, from the item as it was: the verdict of the write that keeps it. */
function verdictOf(item: Record<string, unknown>, change: StatusUpdate): 'duplicate' | 'kept' | 'rejected' {
  const seen = item.reportIds as Set<string> | undefined;
  if (seen?.has(change.reportId)) return 'duplicate';
  const delivery = { provider: String(item.provider), providerMessageId: item.providerMessageId as string | undefined };
  return matchesDelivery(delivery, change.match) ? 'kept' : 'rejected';
}

const update = (table: Table, input: UpdateCommandInput) => call((options) => table.client.send(new UpdateCommand(input), options));

/**
 * One conditional write when the change moves the status forward, is new and is its delivery's;
 * otherwise the refusal carries the item, which tells why: seen before (`duplicate`, nothing more
 * written), or a second write keeps it in the history (`kept` or `rejected`). `missing` when the
 * message has no delivery.
 */
export async function changeDelivery(table: Table, messageId: string, change: StatusUpdate): Promise<ChangeOutcome> {
  let item: Record<string, unknown> | undefined;
  try {
    await update(table, applyChangeInput(table.name, messageId, change));
    return 'applied';
  } catch (error) {
    if (!conditionFailed(error)) throw error;
    item = oldItem(error);
  }
  // The verdict's premise may change between the two writes (an id recorded meanwhile): judged again.
  for (let attempt = 1; item && attempt <= 3; attempt++) {
    const verdict = verdictOf(item, change);
    if (verdict === 'duplicate') return 'duplicate';
    try {
      await update(table, keepReportInput(table.name, messageId, change, verdict));
      return verdict;
    } catch (error) {
      if (!conditionFailed(error)) throw error;
      item = oldItem(error);
    }
  }
  if (item) throw new Error(`Delivery ${messageId}: the report ${change.reportId} could not be kept`);
  return 'missing';
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
