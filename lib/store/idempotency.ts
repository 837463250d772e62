import type { IdempotencyRecord } from '../domain/ports.js';
import { fromItem, idempotencyItem } from './items.js';
import { keys } from './keys.js';
import { entityItem, getItem, putUnlessPresent, type Table } from './table.js';

/**
 * One conditional put. An expired claim counts as absent: TTL deletion may lag by hours. When the
 * key is taken, the live claim comes back with the same request (ReturnValuesOnConditionCheckFailure);
 * it may be this very record, when the SDK retried a put whose first answer was lost, and the caller
 * treats it like any claim of the same request. A failed condition always yields the claim that
 * failed it: if the answer does not carry it, it is read (strongly consistent), never assumed absent.
 */
export async function claimIdempotencyKey(table: Table, record: IdempotencyRecord): Promise<IdempotencyRecord | undefined> {
  const key = keys.idempotency(record.accountId, record.keyHash);
  const condition = { expression: 'attribute_not_exists(pk) OR expiresAt < :now', values: { ':now': Math.floor(record.createdAt / 1000) } };
  for (let attempt = 0; attempt < 2; attempt++) {
    const put = await putUnlessPresent(table, entityItem(key, 'Idempotency', record), condition);
    if (put.stored) return undefined;
    const existing = fromItem(idempotencyItem, put.old) ?? (await getItem(table, key, idempotencyItem, true));
    if (existing) return existing;
    // The claim that failed the condition expired and was deleted meanwhile: claim again.
  }
  throw new Error('An idempotency claim failed its condition twice but could not be read');
}
