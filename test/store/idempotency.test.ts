import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { IdempotencyRecord } from '../../lib/domain/ports.js';
import { claimIdempotencyKey, releaseIdempotencyKey, takeOverIdempotencyKey } from '../../lib/store/idempotency.js';
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

describe('idempotency claims against DynamoDB Local', () => {
  it('claims a key once and returns the live claim to later claimers, reply included', async () => {
    const first = record({ reply: { id: 7, threadId: 9 } });
    expect(await claimIdempotencyKey(table, first)).toBeUndefined();
    expect(await claimIdempotencyKey(table, record({ keyHash: first.keyHash, messageId: 'other' }))).toEqual(first);
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

  it('takes over a stale claim once, and releases only its own claim', async () => {
    const stale = record();
    await claimIdempotencyKey(table, stale);
    const a = record({ keyHash: stale.keyHash });
    const b = record({ keyHash: stale.keyHash });
    const results = await Promise.all([takeOverIdempotencyKey(table, stale, a), takeOverIdempotencyKey(table, stale, b)]);
    expect(results.filter(Boolean)).toHaveLength(1);
    const winner = results[0] ? a : b;
    await releaseIdempotencyKey(table, stale);
    expect((await claimIdempotencyKey(table, record({ keyHash: stale.keyHash })))?.messageId).toBe(winner.messageId);
    await releaseIdempotencyKey(table, winner);
    expect(await claimIdempotencyKey(table, record({ keyHash: stale.keyHash }))).toBeUndefined();
  });
});
