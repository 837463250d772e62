import { GetCommand, PutCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import type { ConsentChange, ConsentPage, ConsentRecord, RecordResult } from '../domain/consent/optouts.js';
import { recordAfter } from '../domain/consent/optouts.js';
import type { ConsentTexts } from '../domain/consent/texts.js';
import { DomainError } from '../domain/errors.js';
import { fromItem } from './items.js';
import { CONSENT_CHANGE_PREFIX, CONSENT_NUMBER_PREFIX, keys } from './keys.js';
import { call, entityItem, getItem, queryPrefix, type Table } from './table.js';

/** The opt-out list (docs/table-design.md, "Opt-outs"): a record per (account, number) and an item per change. */
const text = z.string();
const state = z.enum(['optedOut', 'optedIn']);
const source = z.union([
  z.object({
    kind: z.literal('keyword'),
    inboundMessageId: text,
    receivedAt: text,
    sessionId: text,
    endpointId: text,
    text,
  }),
  z.object({ kind: z.literal('api'), keyId: text }),
  z.object({ kind: z.enum(['cli', 'import']), operator: text, file: z.optional(text) }),
  z.object({ kind: z.literal('provider'), provider: text, messageId: text }),
]);
export const consentChangeItem = z.object({
  changeId: text,
  accountId: text,
  number: text,
  state,
  previousState: z.nullable(state),
  reason: text,
  source,
  by: text,
  at: text,
});
const consentRecordItem = z.object({
  accountId: text,
  number: text,
  state,
  version: z.number(),
  updatedAt: text,
  lastChange: consentChangeItem,
});
const settingsItem = z.object({ texts: z.partial(z.object({ optOut: text, optIn: text, help: text })) });

export const CONSENT_TYPES = { record: 'Consent', change: 'ConsentChange', settings: 'ConsentSettings' } as const;

export const getConsent = (table: Table, accountId: string, number: string, consistent = false): Promise<ConsentRecord | undefined> =>
  getItem(table, keys.consent(accountId, number), consentRecordItem, consistent);

/**
 * One transaction of two puts: the change item, only if its id is new (a redelivered keyword writes
 * nothing), and the record, only at the version the caller read (concurrent changes serialise). The
 * change item's insert is what the stream turns into `contact.opted_out` / `contact.opted_in`.
 */
export async function recordChange(table: Table, change: ConsentChange, expectedVersion: number): Promise<RecordResult> {
  const record = recordAfter(change, expectedVersion + 1);
  try {
    await call((options) =>
      table.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: table.name,
                Item: entityItem(keys.consentChange(change.accountId, change.number, change.changeId), CONSENT_TYPES.change, change),
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            {
              Put: {
                TableName: table.name,
                Item: entityItem(keys.consent(change.accountId, change.number), CONSENT_TYPES.record, record),
                ConditionExpression: expectedVersion === 0 ? 'attribute_not_exists(pk)' : 'version = :version',
                ...(expectedVersion === 0 ? {} : { ExpressionAttributeValues: { ':version': expectedVersion } }),
              },
            },
          ],
        }),
        options,
      ),
    );
    return 'recorded';
  } catch (error) {
    const reasons = (error as { name?: string; CancellationReasons?: { Code?: string }[] }).CancellationReasons;
    if ((error as Error).name !== 'TransactionCanceledException' || !reasons) throw error;
    if (reasons[0]?.Code === 'ConditionalCheckFailed') return 'duplicate';
    if (reasons[1]?.Code === 'ConditionalCheckFailed') return 'conflict';
    throw new DomainError('unavailable', 'The opt-out list is busy; retry later', [], { cause: error });
  }
}

/** One page of the account's records in number order; opted-out ones only unless `all` (a filter: a page may be short). */
export async function listConsent(
  table: Table,
  accountId: string,
  { limit, cursor, all }: { limit: number; cursor?: string; all?: boolean },
): Promise<ConsentPage> {
  const { pk } = keys.consent(accountId, '');
  const { Items = [], LastEvaluatedKey } = await call((options) =>
    table.client.send(
      new QueryCommand({
        TableName: table.name,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ...(all ? {} : { FilterExpression: '#state = :optedOut', ExpressionAttributeNames: { '#state': 'state' } }),
        ExpressionAttributeValues: { ':pk': pk, ':prefix': CONSENT_NUMBER_PREFIX, ...(all ? {} : { ':optedOut': 'optedOut' }) },
        Limit: limit,
        ...(cursor ? { ExclusiveStartKey: keys.consent(accountId, cursor) } : {}),
      }),
      options,
    ),
  );
  const records = Items.map((item) => fromItem(consentRecordItem, item)!);
  const next = LastEvaluatedKey && String(LastEvaluatedKey.sk).slice(CONSENT_NUMBER_PREFIX.length);
  return next ? { records, cursor: next } : { records };
}

/** Every change of a number, oldest first (all pages: a number changes a handful of times). */
export async function consentHistory(table: Table, accountId: string, number: string): Promise<ConsentChange[]> {
  const { pk } = keys.consent(accountId, number);
  const items = await queryPrefix(table, pk, `${CONSENT_CHANGE_PREFIX}${number}#`, { ConsistentRead: true });
  return items.map((item) => fromItem(consentChangeItem, item)!);
}

/** The account's own confirmation texts (operators set them: `optout texts`). */
export const getConsentTexts = async (table: Table, accountId: string): Promise<Partial<ConsentTexts>> =>
  (await getItem(table, keys.consentSettings(accountId), settingsItem))?.texts ?? {};

export const putConsentTexts = async (table: Table, accountId: string, texts: Partial<ConsentTexts>): Promise<void> => {
  await call((options) =>
    table.client.send(
      new PutCommand({ TableName: table.name, Item: entityItem(keys.consentSettings(accountId), CONSENT_TYPES.settings, { texts }) }),
      options,
    ),
  );
};

/** The account's name, which the default confirmations name (only `name` is read). */
export async function accountName(table: Table, accountId: string): Promise<string | undefined> {
  const { Item } = await call((options) =>
    table.client.send(
      new GetCommand({
        TableName: table.name,
        Key: keys.account(accountId),
        ProjectionExpression: '#name',
        ExpressionAttributeNames: { '#name': 'name' },
      }),
      options,
    ),
  );
  return typeof Item?.name === 'string' ? Item.name : undefined;
}
