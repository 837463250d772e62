import { UpdateCommand, type UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import {
  matchesDelivery,
  type ChangeOutcome,
  type Delivery,
  type DeliveryStore,
  type HandOffStart,
  type HistoryEntry,
  type StatusUpdate,
} from '../domain/delivery/delivery.js';
import { HISTORY_LIMIT, trimHistory } from '../domain/delivery/history.js';
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
  consent: z.optional(z.string()),
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
  handOffStartedAt: z.optional(z.string()),
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
  historyDropped: z.optional(z.number()),
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

/** A history entry as stored: with the id of its change, so that trimming the history also trims `reportIds`. */
type StoredEntry = HistoryEntry & { reportId?: string };

const entryOf = (change: StatusUpdate, verdict: Verdict): StoredEntry => ({
  status: change.status,
  date: change.date,
  source: change.source,
  applied: verdict === 'applied',
  ...(verdict === 'rejected' ? { rejected: 'provider-mismatch' as const } : {}),
  ...(change.providerStatus === undefined ? {} : { providerStatus: change.providerStatus }),
  ...(change.errorCode === undefined ? {} : { errorCode: change.errorCode }),
  ...(change.consent === undefined ? {} : { consent: change.consent }),
  reportId: change.reportId,
});

/** What a change does: moves the status, is kept in the history (late, out of order), or is kept as another provider message's. */
type Verdict = 'applied' | 'kept' | 'rejected';

interface Binding {
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
function binding(change: StatusUpdate): Binding {
  if (change.match) {
    return {
      condition: '#provider = :provider AND (attribute_not_exists(providerMessageId) OR providerMessageId = :pmid)',
      update: ', providerMessageId = if_not_exists(providerMessageId, :pmid)',
      values: { ':provider': change.match.provider, ':pmid': change.match.providerMessageId },
    };
  }
  if (change.providerMessageId !== undefined) {
    return { condition: '', update: ', providerMessageId = :pmid', values: { ':pmid': change.providerMessageId } };
  }
  return { condition: '', update: '', values: {} };
}

/** A full history rewritten: the entries kept, and the state it was computed from (the write's condition). */
interface Rewrite {
  history: StoredEntry[];
  reportIds: Set<string>;
  dropped: number;
  was: { length: number; dropped: number };
}

/**
 * The UpdateItem that writes a change with its verdict, once per report id, all in one conditional
 * write whose condition holds the verdict (so that a race is seen and judged again, never written
 * wrong):
 * - `applied`: status, rank, error fields (those the change does not carry are removed), the entry;
 *   only if the rank moves forward and, for a report, it is its delivery's.
 * - `kept`: the entry only (and the provider message id a report overtaking the hand-off carries).
 * - `rejected`: the entry only, marked; only if the report is not its delivery's.
 * The entry is appended while the history has room; a full history is rewritten (`rewrite`, computed
 * from the item as it was: only if it is still that item). Refused, the write returns the item.
 */
export function changeInput(
  tableName: string,
  messageId: string,
  change: StatusUpdate,
  verdict: Verdict,
  rewrite?: Rewrite,
): UpdateCommandInput {
  const set: Record<string, unknown> = {};
  const removed: string[] = [];
  if (verdict === 'applied') {
    Object.assign(set, { status: change.status, statusRank: STATUS_RANK[change.status], statusUpdatedAt: change.date });
    if (change.attempts !== undefined) set.attempts = change.attempts;
    for (const name of ['providerStatus', 'errorCode', 'errorMessage'] as const) {
      if (change[name] === undefined) removed.push(name);
      else set[name] = change[name];
    }
  }
  if (rewrite) Object.assign(set, { history: rewrite.history, reportIds: rewrite.reportIds, historyDropped: rewrite.dropped });
  const bound = binding(change);
  const conditions = ['attribute_exists(pk)', 'NOT contains(reportIds, :id)'];
  if (verdict === 'applied') conditions.push('statusRank < :statusRank');
  if (bound.condition) conditions.push(verdict === 'rejected' ? `NOT (${bound.condition})` : bound.condition);
  if (rewrite) {
    conditions.push('size(history) = :length', rewrite.was.dropped ? 'historyDropped = :was' : 'attribute_not_exists(historyDropped)');
  } else conditions.push('size(history) < :limit');
  const names = Object.keys(set);
  const assignments = names.map((name) => `#${name} = :${name}`);
  if (!rewrite) assignments.push('history = list_append(history, :entry)');
  const attributeNames = {
    ...Object.fromEntries(names.map((name) => [`#${name}`, name])),
    ...(change.match ? { '#provider': 'provider' } : {}),
  };
  return {
    TableName: tableName,
    Key: keys.delivery(messageId),
    UpdateExpression: [
      `SET ${assignments.join(', ')}${verdict === 'rejected' ? '' : bound.update}`,
      removed.length ? ` REMOVE ${removed.join(', ')}` : '',
      rewrite ? '' : ' ADD reportIds :ids',
    ].join(''),
    ConditionExpression: conditions.join(' AND '),
    ...(Object.keys(attributeNames).length ? { ExpressionAttributeNames: attributeNames } : {}),
    ExpressionAttributeValues: {
      ...Object.fromEntries(names.map((name) => [`:${name}`, set[name]])),
      ':id': change.reportId,
      ...(rewrite
        ? { ':length': rewrite.was.length, ...(rewrite.was.dropped ? { ':was': rewrite.was.dropped } : {}) }
        : { ':entry': [entryOf(change, verdict)], ':ids': new Set([change.reportId]), ':limit': HISTORY_LIMIT }),
      ...bound.values,
    },
    ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
  };
}

/** What a change does to the item as it is (as a refused write returned it), or `duplicate` when its id was seen. */
function verdictOf(item: Record<string, unknown>, change: StatusUpdate): Verdict | 'duplicate' {
  if ((item.reportIds as Set<string> | undefined)?.has(change.reportId)) return 'duplicate';
  const delivery = { provider: String(item.provider), providerMessageId: item.providerMessageId as string | undefined };
  if (!matchesDelivery(delivery, change.match)) return 'rejected';
  return STATUS_RANK[change.status] > Number(item.statusRank) ? 'applied' : 'kept';
}

/** The history of a full item rewritten with the change's entry: trimmed, its dropped entries' ids forgotten. */
function rewriteOf(item: Record<string, unknown>, change: StatusUpdate, verdict: Verdict): Rewrite | undefined {
  const history = item.history as StoredEntry[];
  if (history.length < HISTORY_LIMIT) return undefined;
  const was = { length: history.length, dropped: Number(item.historyDropped ?? 0) };
  const { kept, dropped } = trimHistory([...history, entryOf(change, verdict)]);
  const reportIds = new Set(item.reportIds as Set<string>);
  for (const entry of dropped) if (entry.reportId !== undefined) reportIds.delete(entry.reportId);
  reportIds.add(change.reportId);
  return { history: kept, reportIds, dropped: was.dropped + dropped.length, was };
}

const update = (table: Table, input: UpdateCommandInput) => call((options) => table.client.send(new UpdateCommand(input), options));

/**
 * One conditional write when the change moves the status forward, is new, is its delivery's and the
 * history has room. Refused, the write returns the item, which tells why: seen before (`duplicate`,
 * nothing more written), or a second write keeps it (`kept`, `rejected`), or applies it to a full
 * history, trimmed. `missing` when the message has no delivery.
 */
export async function changeDelivery(table: Table, messageId: string, change: StatusUpdate): Promise<ChangeOutcome> {
  let item: Record<string, unknown> | undefined;
  for (let attempt = 1; attempt <= 4; attempt++) {
    const verdict = item ? verdictOf(item, change) : 'applied';
    if (verdict === 'duplicate') return 'duplicate';
    try {
      await update(table, changeInput(table.name, messageId, change, verdict, item && rewriteOf(item, change, verdict)));
      return verdict;
    } catch (error) {
      if (!conditionFailed(error)) throw error;
      item = oldItem(error);
      if (!item) return 'missing';
    }
  }
  throw new Error(`Delivery ${messageId}: the change ${change.reportId} kept meeting concurrent writes`);
}

/**
 * The hand-off marker: one UpdateItem, only if `from` holds the claim and no hand-off was started
 * (a `queued` claim also moves to `sending`, its history entry with it). Refused, the item it returns
 * tells whether this invocation's own write landed before (an SDK retry after a lost answer).
 */
export function startHandOffInput(tableName: string, messageId: string, start: HandOffStart): UpdateCommandInput {
  const sending = { status: 'sending' as const, date: start.at, source: 'dispatch', applied: true, reportId: 'dispatch:sending' };
  return {
    TableName: tableName,
    Key: keys.delivery(messageId),
    UpdateExpression: [
      'SET invocationId = :to, handOffStartedAt = :at',
      start.queued ? ', #status = :sending, statusRank = :rank, statusUpdatedAt = :at, history = list_append(history, :entry)' : '',
      start.queued ? ' ADD reportIds :ids' : '',
    ].join(''),
    ConditionExpression: `invocationId = :from AND attribute_not_exists(handOffStartedAt)${start.queued ? ' AND #status = :queued' : ''}`,
    ...(start.queued ? { ExpressionAttributeNames: { '#status': 'status' } } : {}),
    ExpressionAttributeValues: {
      ':from': start.from,
      ':to': start.to,
      ':at': start.at,
      ...(start.queued
        ? {
            ':queued': 'queued',
            ':sending': 'sending',
            ':rank': STATUS_RANK.sending,
            ':entry': [sending],
            ':ids': new Set([sending.reportId]),
          }
        : {}),
    },
    ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
  };
}

export async function startHandOff(table: Table, messageId: string, start: HandOffStart): Promise<boolean> {
  try {
    await update(table, startHandOffInput(table.name, messageId, start));
    return true;
  } catch (error) {
    if (!conditionFailed(error)) throw error;
    const item = oldItem(error);
    return item?.invocationId === start.to && item.handOffStartedAt === start.at;
  }
}

/** Clears the marker of a hand-off that certainly did not happen, if `invocationId` still holds the claim. */
export async function abandonHandOff(table: Table, messageId: string, invocationId: string): Promise<void> {
  try {
    await update(table, {
      TableName: table.name,
      Key: keys.delivery(messageId),
      UpdateExpression: 'REMOVE handOffStartedAt',
      ConditionExpression: 'invocationId = :me',
      ExpressionAttributeValues: { ':me': invocationId },
    });
  } catch (error) {
    if (!conditionFailed(error)) throw error;
  }
}

/**
 * The deliveries as the domain's port. Here, not in lib/runtime-delivery.ts: the status functions use
 * it without the dispatcher's providers and segment counter.
 */
export const deliveryStore = (table: Table): DeliveryStore => ({
  claim: (delivery) => claimDelivery(table, delivery),
  startHandOff: (messageId, start) => startHandOff(table, messageId, start),
  abandonHandOff: (messageId, invocationId) => abandonHandOff(table, messageId, invocationId),
  change: (messageId, change) => changeDelivery(table, messageId, change),
  get: (messageId, consistent) => getDelivery(table, messageId, consistent),
});
