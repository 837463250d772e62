import {
  ProvisioningError,
  issueKey,
  parseAccount,
  parseDisplayName,
  parseEndpoint,
  parseKey,
  parseProducer,
  parseProducerBinding,
} from '../../lib/domain/provisioning.js';
import { invalidField } from '../../lib/domain/errors.js';
import { MAX_CREDENTIAL_CACHE_SECONDS } from '../../lib/runtime/config.js';
import * as store from '../../lib/store/provisioning.js';
import type { Table } from '../../lib/store/table.js';

/**
 * Every provisioning operation, shared by the CLI (scripts/admin/cli.ts) and the demo seed: input
 * validated with the API's schemas, then one transaction in lib/store/provisioning.ts.
 */
export interface AdminContext {
  table: Table;
  now: () => Date;
  /** A deployed stage's table (--stage): callback URLs must then be https to public addresses. */
  deployed?: boolean;
  /**
   * How long the stage's functions trust a cached key (their CREDENTIAL_CACHE_SECONDS); unset: the
   * most any stage may set. The CLI can not read a deployed stage's value, so it assumes the longest.
   */
  credentialCacheSeconds?: number;
}

export async function createAccount({ table }: AdminContext, input: { accountId: unknown; name: unknown }) {
  const account = parseAccount(input);
  await store.createAccount(table, account);
  return account;
}

export async function showAccount({ table }: AdminContext, accountId: string) {
  const account = await store.getAccount(table, accountId);
  if (!account) throw new ProvisioningError('not-found', `Account ${accountId} does not exist`);
  const [endpoints, keys] = await Promise.all([store.listEndpoints(table, accountId), store.listKeys(table, accountId)]);
  return { ...account, status: account.status ?? 'active', endpoints, keys: keys.map(keyView) };
}

export const setAccountStatus = async ({ table, now }: AdminContext, accountId: string, status: 'active' | 'disabled') => {
  await store.setAccountStatus(table, accountId, status, now());
  return { accountId, status };
};

export async function createEndpoint({ table }: AdminContext, input: Record<string, unknown>) {
  const endpoint = parseEndpoint(input);
  await store.createEndpoint(table, endpoint);
  return endpoint;
}

export async function renameEndpoint({ table }: AdminContext, endpointId: string, displayName: unknown) {
  const name = parseDisplayName(displayName);
  const endpoint = await store.getEndpointOf(table, endpointId);
  if (!endpoint) throw new ProvisioningError('not-found', `Endpoint ${endpointId} does not exist`);
  await store.renameEndpoint(table, endpoint, name);
  return { ...endpoint, displayName: name };
}

/** What may be shown of a key: never its hash (a hash of a short imported secret could be brute-forced). */
const keyView = ({ secretHash: _hash, ...key }: store.KeyView) => ({
  ...key,
  state:
    key.status === 'revoked'
      ? 'revoked'
      : key.retiresAt !== undefined
        ? `retires ${new Date(key.retiresAt * 1000).toISOString()}`
        : 'active',
});

/** Issues a key; the secret is returned once and never stored. `secret` imports an existing one (the demo's). */
export async function createKey({ table, now }: AdminContext, input: Record<string, unknown>, secret?: string) {
  const issued = issueKey(parseKey(input), now(), secret);
  await store.createKey(table, issued.record);
  return { secret: issued.secret, key: keyView(issued.record) };
}

export const listKeys = async ({ table }: AdminContext, accountId: string) => (await store.listKeys(table, accountId)).map(keyView);

async function existingKey(table: Table, accountId: string, keyId: string) {
  const key = await store.getKey(table, accountId, keyId);
  if (!key) throw new ProvisioningError('not-found', `Key ${keyId} of account ${accountId} does not exist`);
  return key;
}

export async function revokeKey({ table, now }: AdminContext, accountId: string, keyId: string) {
  const key = await existingKey(table, accountId, keyId);
  if (key.status === 'revoked') return keyView(key);
  await store.revokeKey(table, key, now());
  return keyView({ ...key, status: 'revoked', revokedAt: now().toISOString() });
}

/**
 * A new key with the old one's roles; the old one stays accepted for `overlapSeconds`, then is refused.
 * A warm container that read the old key before the rotation trusts it, without its end, for up to
 * its credential cache time: an overlap shorter than that could not end when it says, so it is refused.
 */
export async function rotateKey(
  { table, now, credentialCacheSeconds = MAX_CREDENTIAL_CACHE_SECONDS }: AdminContext,
  accountId: string,
  keyId: string,
  overlapSeconds: number,
) {
  if (overlapSeconds < credentialCacheSeconds)
    throw invalidField(
      'overlap',
      'TooShort',
      `the overlap must be at least ${credentialCacheSeconds}s: a warm function that read the old key before the rotation ` +
        `keeps accepting it for up to ${credentialCacheSeconds}s (its credential cache); \`key revoke\` stops a key within that time.`,
    );
  const key = await existingKey(table, accountId, keyId);
  if (key.status === 'revoked') throw new ProvisioningError('not-found', `Key ${keyId} is revoked`);
  const {
    keyId: _id,
    secretHash: _hash,
    hint: _hint,
    createdAt: _created,
    status: _status,
    retiresAt: _retires,
    replacedBy: _by,
    revokedAt: _revoked,
    ...input
  } = key;
  const issued = issueKey(input, now());
  // Rounded up: the overlap is never shorter than asked.
  const retiresAt = Math.ceil(now().getTime() / 1000) + overlapSeconds;
  await store.rotateKey(table, key, issued.record, retiresAt);
  return { secret: issued.secret, key: keyView(issued.record), replaces: keyView({ ...key, retiresAt, replacedBy: issued.record.keyId }) };
}

export async function bindProducer({ table }: AdminContext, producer: unknown, accountIds: unknown) {
  const binding = parseProducerBinding(producer, accountIds);
  await store.bindProducer(table, binding.producer, binding.accountIds);
  return binding;
}

export async function unbindProducer({ table }: AdminContext, producer: unknown) {
  const parsed = parseProducer(producer);
  await store.unbindProducer(table, parsed);
  return { producer: parsed, unbound: true };
}

export const listAccounts = ({ table }: AdminContext) => store.listAccounts(table);
export const listEndpoints = ({ table }: AdminContext, accountId: string) => store.listEndpoints(table, accountId);
export const listProducers = ({ table }: AdminContext) => store.listProducers(table);
