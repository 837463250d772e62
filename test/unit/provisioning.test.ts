import { describe, expect, it } from 'vitest';
import { hashSecret } from '../../lib/domain/auth.js';
import { issueKey, parseEndpoint, parseKey, parseProducer } from '../../lib/domain/provisioning.js';
import { generateSecret, isForgedSecret, secretHint, SECRET_PREFIX } from '../../lib/domain/secrets.js';
import { loadConfig, MAX_CREDENTIAL_CACHE_SECONDS } from '../../lib/runtime/config.js';
import { credentialStore } from '../../lib/runtime/index.js';
import type { Table } from '../../lib/store/table.js';
import { rotateKey } from '../../scripts/admin/actions.js';
import { parseDuration } from '../../scripts/admin/cli.js';

describe('issued secrets', () => {
  it('are prefixed, 256 bits of randomness, and carry a checksum', () => {
    const secrets = new Set(Array.from({ length: 100 }, generateSecret));
    expect(secrets.size).toBe(100);
    for (const secret of secrets) {
      expect(secret).toMatch(/^msk_live_[A-Za-z0-9_-]{49}$/);
      expect(Buffer.from(secret.slice(SECRET_PREFIX.length, SECRET_PREFIX.length + 43), 'base64url')).toHaveLength(32);
      expect(isForgedSecret(secret)).toBe(false);
    }
  });

  it('tells a forged or mistyped secret of our shape, and leaves other shapes to the table', () => {
    const secret = generateSecret();
    const flip = (s: string, i: number) => s.slice(0, i) + (s[i] === 'A' ? 'B' : 'A') + s.slice(i + 1);
    expect(isForgedSecret(flip(secret, 12))).toBe(true);
    expect(isForgedSecret(flip(secret, secret.length - 1))).toBe(true);
    expect(isForgedSecret(secret.slice(0, -1))).toBe(true);
    expect(isForgedSecret(`${secret}x`)).toBe(true);
    expect(isForgedSecret('demo-user-key')).toBe(false);
    expect(secretHint(secret)).toBe(`${secret.slice(0, 13)}…`);
  });

  it('names a key at random, never by its hash, which is stored but never part of its id', () => {
    const now = new Date('2026-11-29T00:00:00Z');
    const a = issueKey({ accountId: 'acct', roles: ['User'] }, now, 'demo-user-key');
    expect(a.record).toMatchObject({
      keyId: expect.stringMatching(/^key_[0-9a-f]{16}$/),
      secretHash: hashSecret('demo-user-key'),
      status: 'active',
    });
    expect(hashSecret('demo-user-key')).not.toContain(a.record.keyId.slice(4, 12));
    expect(issueKey({ accountId: 'acct', roles: ['User'] }, now, 'demo-user-key').record.keyId).not.toBe(a.record.keyId);
    expect(JSON.stringify(a.record)).not.toContain('demo-user-key');
  });
});

describe('provisioning input', () => {
  it('normalises an endpoint address to E.164 and names refused fields', () => {
    expect(
      parseEndpoint({ endpointId: 'ep', accountId: 'a', customerId: 'c', displayName: 'D', address: '+1 (555) 000-1111' }).address,
    ).toBe('+15550001111');
    expect(() => parseEndpoint({ endpointId: 'e p', accountId: 'a', customerId: 'c', displayName: 'D', address: '+15550001111' })).toThrow(
      expect.objectContaining({ fields: [expect.objectContaining({ field: 'endpointId' })] }),
    );
  });

  it('requires an agent id exactly for edna tokens, and drops repeated roles', () => {
    expect(parseKey({ accountId: 'a', roles: ['OPERATOR', 'OPERATOR'], agentId: 3 })).toEqual({
      accountId: 'a',
      roles: ['OPERATOR'],
      agentId: 3,
    });
    expect(() => parseKey({ accountId: 'a', roles: [] })).toThrow(expect.objectContaining({ code: 'invalid' }));
    expect(() => parseKey({ accountId: 'a', roles: ['SUPERVISOR'] })).toThrow(
      expect.objectContaining({ fields: [expect.objectContaining({ field: 'agentId' })] }),
    );
    expect(() => parseKey({ accountId: 'a', roles: ['User'], agentId: 1 })).toThrow(
      expect.objectContaining({ fields: [expect.objectContaining({ field: 'agentId' })] }),
    );
    expect(() => parseKey({ accountId: 'a', roles: ['User'], agentId: 1.5 })).toThrow();
  });

  it('accepts producers as AWS identifies them', () => {
    expect(parseProducer({ kind: 'sqs', senderId: 'AROAEXAMPLE123' })).toEqual({ kind: 'sqs', senderId: 'AROAEXAMPLE123' });
    expect(() => parseProducer({ kind: 'sqs', senderId: 'AROA:session' })).toThrow();
    expect(() => parseProducer({ kind: 'events', account: '123', source: 's' })).toThrow();
  });

  it('reads overlaps in seconds, minutes, hours or days', () => {
    expect([parseDuration('90'), parseDuration('90s'), parseDuration('15m'), parseDuration('24h'), parseDuration('7d')]).toEqual([
      90, 90, 900, 86400, 604800,
    ]);
    expect(() => parseDuration('1w')).toThrow();
  });
});

describe('the credential cache', () => {
  it('remembers an unknown hash, trusts a known one, and ends a rotated key at its expiresAt', async () => {
    let reads = 0;
    let now = 1_000_000;
    const items: Record<string, object> = {
      known: { accountId: 'a', roles: ['User'] },
      rotated: { accountId: 'a', roles: ['User'], expiresAt: 1_100 },
    };
    const table = {
      name: 'messaging-api-test',
      client: {
        send: async (command: { input: { Key: { pk: string } } }) => (
          reads++,
          { Item: items[command.input.Key.pk.replace('CREDENTIAL#', '')] }
        ),
      },
    } as unknown as Table;
    const store = credentialStore({ config: { CREDENTIAL_CACHE_SECONDS: 60, UNKNOWN_CREDENTIAL_CACHE_SECONDS: 10 }, table }, () => now);
    for (let i = 0; i < 3; i++) expect(await store.getCredential('unknown')).toBeUndefined();
    for (let i = 0; i < 3; i++) expect(await store.getCredential('known')).toBeDefined();
    expect(reads).toBe(2);
    now += 10_001;
    expect(await store.getCredential('unknown')).toBeUndefined();
    expect(reads).toBe(3);
    expect(await store.getCredential('rotated')).toBeDefined();
    now = 1_100_000;
    expect(await store.getCredential('rotated')).toBeUndefined();
  });

  it('never trusts a key longer than the shortest rotation overlap, which the CLI enforces', async () => {
    expect(() => loadConfig({ CREDENTIAL_CACHE_SECONDS: String(MAX_CREDENTIAL_CACHE_SECONDS + 1) })).toThrow(/CREDENTIAL_CACHE_SECONDS/);
    const untouched = { name: 't', client: { send: () => Promise.reject(new Error('read')) } } as unknown as Table;
    const ops = { table: untouched, now: () => new Date() };
    // The issue's case: 20 s, under a 60 s cache. Refused before anything is read or written.
    await expect(rotateKey(ops, 'acct', 'key_1', 20)).rejects.toMatchObject({
      code: 'invalid',
      fields: [{ field: 'overlap', message: expect.stringContaining(`at least ${MAX_CREDENTIAL_CACHE_SECONDS}s`) }],
    });
    await expect(rotateKey({ ...ops, credentialCacheSeconds: 3 }, 'acct', 'key_1', 2)).rejects.toMatchObject({ code: 'invalid' });
    await expect(rotateKey({ ...ops, credentialCacheSeconds: 3 }, 'acct', 'key_1', 3)).rejects.toThrow('read');
  });
});
