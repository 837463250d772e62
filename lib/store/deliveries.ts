import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import type { ChangeOutcome, Delivery, HistoryEntry, StatusChange } from '../domain/delivery/delivery.js';
import { DELIVERY_STATUSES, STATUS_RANK } from '../domain/delivery/status.js';
import { fromItem } from './items.js';
import { keys } from './keys.js';
import { call, conditionFailed, entityItem, getItem, oldItem, type Table } from './table.js';

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
  try {
    await call((options) =>
      table.client.send(
        new PutCommand({
          TableName: table.name,
          Item: deliveryRecord(delivery),
          ConditionExpression: 'attribute_not_exists(pk)',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
        options,
      ),
    );
    return undefined;
  } catch (error) {
    if (!conditionFailed(error)) throw error;
    const existing = fromItem(deliveryItem, oldItem(error)) ?? (await getDelivery(table, delivery.messageId, true));
    if (!existing) throw new Error(`Delivery ${delivery.messageId} exists but could not be read`, { cause: error });
    return existing;
  }
}

export const getDelivery = (table: Table, messageId: string, consistent = false): Promise<Delivery | undefined> =>
  getItem(table, keys.delivery(messageId), deliveryItem, consistent);

const entryOf = (change: StatusChange, applied: boolean): HistoryEntry => ({
  status: change.status,
  date: change.date,
  source: change.source,
  applied,
  ...(change.providerStatus === undefined ? {} : { providerStatus: change.providerStatus }),
  ...(change.errorCode === undefined ? {} : { errorCode: change.errorCode }),
});

/**
 * One conditional UpdateItem when the change moves the status forward (rank above the current one)
 * and was not seen before: status, history entry and report id together. Otherwise a second one
 * keeps it in the history, unapplied (still once per report id); the provider's message id is kept
 * whichever way, since a report may overtake the hand-off's own answer.
 */
export async function changeDelivery(table: Table, messageId: string, change: StatusChange): Promise<ChangeOutcome> {
  const key = keys.delivery(messageId);
  const pmid = change.providerMessageId === undefined ? {} : { ':pmid': change.providerMessageId };
  const setPmid = change.providerMessageId === undefined ? '' : ', providerMessageId = if_not_exists(providerMessageId, :pmid)';
  const optional = (name: string, value: string | number | undefined) => (value === undefined ? { remove: name } : { set: `${name} = :${name}`, value: { [`:${name}`]: value } });
  const fields = [optional('providerStatus', change.providerStatus), optional('errorCode', change.errorCode), optional('errorMessage', change.errorMessage)];
  const sets = fields.flatMap((f) => (f.set ? [f.set] : []));
  const removes = fields.flatMap((f) => (f.remove ? [f.remove] : []));
  try {
    await call((options) =>
      table.client.send(
        new UpdateCommand({
          TableName: table.name,
          Key: key,
          UpdateExpression: [
            `SET #status = :status, statusRank = :rank, statusUpdatedAt = :date, history = list_append(history, :entry)${setPmid}`,
            ...(change.attempts === undefined ? [] : [', attempts = :attempts']),
            ...sets.map((s) => `, ${s}`),
            removes.length ? ` REMOVE ${removes.join(', ')}` : '',
            ' ADD reportIds :ids',
          ].join(''),
          ConditionExpression: 'attribute_exists(pk) AND statusRank < :rank AND NOT contains(reportIds, :id)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':status': change.status,
            ':rank': STATUS_RANK[change.status],
            ':date': change.date,
            ':entry': [entryOf(change, true)],
            ':id': change.reportId,
            ':ids': new Set([change.reportId]),
            ...pmid,
            ...(change.attempts === undefined ? {} : { ':attempts': change.attempts }),
            ...Object.assign({}, ...fields.map((f) => f.value ?? {})),
          },
        }),
        options,
      ),
    );
    return 'applied';
  } catch (error) {
    if (!conditionFailed(error)) throw error;
  }
  try {
    await call((options) =>
      table.client.send(
        new UpdateCommand({
          TableName: table.name,
          Key: key,
          UpdateExpression: `SET history = list_append(history, :entry)${setPmid} ADD reportIds :ids`,
          ConditionExpression: 'attribute_exists(pk) AND NOT contains(reportIds, :id)',
          ExpressionAttributeValues: { ':entry': [entryOf(change, false)], ':id': change.reportId, ':ids': new Set([change.reportId]), ...pmid },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
        options,
      ),
    );
    return 'kept';
  } catch (error) {
    if (!conditionFailed(error)) throw error;
    return oldItem(error) ? 'duplicate' : 'missing';
  }
}
