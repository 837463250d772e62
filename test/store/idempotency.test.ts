import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { IdempotencyRecord } from '../../lib/domain/ports.js';
import { claimIdempotencyKey } from '../../lib/store/idempotency.js';
import type { Table } from '../../lib/store/table.js';
import { table } from '../support/stack.js';

const record = (overrides: Partial<IdempotencyRecord> = {}): IdempotencyRecord => ({
  accountId: 'acct_demo',
  keyHash: randomUUID(),
  fingerprint: 'f1',
  sessionId: 'ses_demo',
  messageId: randomUUID(),
  createdAt: Date.now(),
  expiresAt: Math.floor(Date.now() / 1000) + 3600,
  ...overrides,
});

/** The same table, but every failed condition comes back without the item (a proxy or endpoint that drops ALL_OLD). */
const withoutOldItems: Table = {
  name: table.name,
  client: {
    send: async (command: never, options: never) => {
      try {
        return await table.client.send(command, options);
      } catch (error) {
        delete (error as { Item?: unknown }).Item;
        throw error;
      }
    },
  } as unknown as Table['client'],
};

describe('idempotency claims against DynamoDB Local', () => {
  it('claims a key once and returns the live claim to later claimers', async () => {
    const first = record();
    expect(await claimIdempotencyKey(table, first)).toBeUndefined();
    expect(await claimIdempotencyKey(table, record({ keyHash: first.keyHash, messageId: 'other' }))).toEqual(first);
  });

  it('returns the caller its own claim when its put is repeated (a retry after a lost answer)', async () => {
    const mine = record();
    expect(await claimIdempotencyKey(table, mine)).toBeUndefined();
    expect(await claimIdempotencyKey(table, mine)).toEqual(mine);
  });

  it('reads the claim that failed the condition when the answer does not carry it, never counting it as claimed', async () => {
    const first = record();
    expect(await claimIdempotencyKey(table, first)).toBeUndefined();
    expect(await claimIdempotencyKey(withoutOldItems, record({ keyHash: first.keyHash }))).toEqual(first);
  });

  it('scopes claims per account', async () => {
    const mine = record();
    expect(await claimIdempotencyKey(table, mine)).toBeUndefined();
    expect(await claimIdempotencyKey(table, record({ keyHash: mine.keyHash, accountId: 'acct_other' }))).toBeUndefined();
  });

  it('treats an expired claim that TTL has not deleted yet as absent', async () => {
    const old = record({ expiresAt: Math.floor(Date.now() / 1000) - 1 });
    expect(await claimIdempotencyKey(table, old)).toBeUndefined();
    expect(await claimIdempotencyKey(table, record({ keyHash: old.keyHash }))).toBeUndefined();
  });
});
