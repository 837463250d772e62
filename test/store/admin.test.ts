import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { describe, expect, it } from 'vitest';
import { authenticate, hashSecret } from '../../lib/domain/auth.js';
import { isForgedSecret, SECRET_PREFIX } from '../../lib/domain/secrets.js';
import { credentialStore, ENDPOINT_CACHE_SECONDS, endpointStore } from '../../lib/runtime/index.js';
import { tenantsOf } from '../../lib/store/producers.js';
import { keys } from '../../lib/store/keys.js';
import type { Table } from '../../lib/store/table.js';
import * as actions from '../../scripts/admin/actions.js';
import { admin } from '../support/admin.js';
import { allItems, item, table } from '../support/stack.js';

/** Authentication as a send does it, without a cache. */
const fresh = () => credentialStore({ config: { CREDENTIAL_CACHE_SECONDS: 0, UNKNOWN_CREDENTIAL_CACHE_SECONDS: 0 }, table });

describe('messaging-admin', () => {
  const account = `acct_${ulid()}`;
  const endpoint = `ep_${ulid()}`;

  it('creates an account once, lists and shows it', async () => {
    expect((await admin('account', 'create', account, '--name', 'Acme Ltd', '--json')).json).toEqual({
      accountId: account,
      name: 'Acme Ltd',
      status: 'active',
    });
    expect(await admin('account', 'create', account, '--name', 'Again')).toMatchObject({
      code: 1,
      err: `Account ${account} already exists`,
    });
    expect((await admin('account', 'list', '--json')).json).toContainEqual({ accountId: account, name: 'Acme Ltd', status: 'active' });
    expect((await admin('account', 'show', account, '--json')).json).toMatchObject({
      accountId: account,
      status: 'active',
      endpoints: [],
      keys: [],
    });
    expect(await admin('account', 'show', 'acct_missing')).toMatchObject({ code: 1 });
  });

  it('refuses invalid input with the API schemas, naming the field, and stores nothing', async () => {
    const before = (await allItems()).length;
    expect(await admin('account', 'create', 'bad id', '--name', 'x')).toMatchObject({
      code: 2,
      err: expect.stringContaining('invalid accountId'),
    });
    expect(await admin('account', 'create', 'acct_x', '--name', '\u202Eevil')).toMatchObject({
      code: 2,
      err: expect.stringContaining('invalid name'),
    });
    expect(
      await admin('endpoint', 'create', 'ep_x', '--account', account, '--customer', 'c', '--address', '12', '--display-name', 'X'),
    ).toMatchObject({
      code: 2,
      err: expect.stringContaining('invalid address'),
    });
    expect(await admin('key', 'create', '--account', account, '--roles', 'Admin')).toMatchObject({
      code: 2,
      err: expect.stringContaining('invalid roles.0'),
    });
    expect(await admin('key', 'create', '--account', account, '--roles', 'OPERATOR')).toMatchObject({
      code: 2,
      err: expect.stringContaining('invalid agentId'),
    });
    expect(await admin('key', 'create', '--account', account, '--roles', 'User', '--agent-id', '7')).toMatchObject({ code: 2 });
    expect(await admin('producer', 'bind', '--events-account', '12', '--source', 's', '--account', account)).toMatchObject({
      code: 2,
      err: expect.stringContaining('invalid producer.account'),
    });
    expect(await admin('account', 'frobnicate')).toMatchObject({ code: 2, err: expect.stringContaining('Usage') });
    expect(await admin('account', 'create', account, '--nme', 'x')).toMatchObject({ code: 2 });
    expect(await admin('endpoint', 'list')).toMatchObject({ code: 2, err: expect.stringContaining('--account is required') });
    expect((await allItems()).length).toBe(before);
  });

  it('creates an endpoint with its address in E.164, lists and renames it', async () => {
    const created = await admin(
      'endpoint',
      'create',
      endpoint,
      '--account',
      account,
      '--customer',
      'cus_1',
      '--address',
      '+1 555 000 3333',
      '--display-name',
      'Support',
      '--json',
    );
    expect(created.json).toEqual({
      endpointId: endpoint,
      accountId: account,
      customerId: 'cus_1',
      displayName: 'Support',
      address: '+15550003333',
    });
    expect(
      await admin(
        'endpoint',
        'create',
        endpoint,
        '--account',
        account,
        '--customer',
        'c',
        '--address',
        '+15550003333',
        '--display-name',
        'X',
      ),
    ).toMatchObject({ code: 1 });
    // A warm container read the endpoint before the rename: new sessions take the new name within ENDPOINT_CACHE_SECONDS.
    let now = Date.now();
    const warm = endpointStore(table, () => now);
    expect(await warm.getEndpoint(account, endpoint)).toMatchObject({ displayName: 'Support' });
    expect((await admin('endpoint', 'rename', endpoint, '--display-name', 'Help desk', '--json')).json).toMatchObject({
      displayName: 'Help desk',
    });
    expect(await endpointStore(table).getEndpoint(account, endpoint)).toMatchObject({ displayName: 'Help desk' });
    now += ENDPOINT_CACHE_SECONDS * 1000 - 1;
    expect(await warm.getEndpoint(account, endpoint)).toMatchObject({ displayName: 'Support' });
    now += 1;
    expect(await warm.getEndpoint(account, endpoint)).toMatchObject({ displayName: 'Help desk' });
    expect((await admin('endpoint', 'list', '--account', account, '--json')).json).toEqual([{ ...created.json, displayName: 'Help desk' }]);
    expect(await item(keys.endpoint(endpoint))).toMatchObject({ displayName: 'Help desk', accountId: account });
  });

  it('refuses an endpoint for a missing account, leaving nothing half made', async () => {
    const before = (await allItems()).length;
    expect(
      await admin(
        'endpoint',
        'create',
        `ep_${ulid()}`,
        '--account',
        'acct_nobody',
        '--customer',
        'c',
        '--address',
        '+15550004444',
        '--display-name',
        'X',
      ),
    ).toMatchObject({
      code: 1,
      err: 'Account acct_nobody does not exist or is disabled',
    });
    expect((await allItems()).length).toBe(before);
  });

  it('issues a key once: a prefixed 256-bit secret, stored only as its hash, listed by hint', async () => {
    const { json, code } = await admin('key', 'create', '--account', account, '--roles', 'User', '--label', 'CRM', '--json');
    expect(code).toBe(0);
    expect(json.secret).toMatch(new RegExp(`^${SECRET_PREFIX}[A-Za-z0-9_-]{49}$`));
    expect(isForgedSecret(json.secret)).toBe(false);
    expect(JSON.stringify(await allItems())).not.toContain(json.secret);
    expect(await item(keys.credential(hashSecret(json.secret)))).toMatchObject({
      accountId: account,
      roles: ['User'],
      keyId: json.key.keyId,
    });
    const listed = (await admin('key', 'list', '--account', account, '--json')).json;
    expect(listed).toEqual([
      expect.objectContaining({
        keyId: json.key.keyId,
        hint: json.secret.slice(0, 13) + '…',
        roles: ['User'],
        label: 'CRM',
        state: 'active',
      }),
    ]);
    expect(JSON.stringify(listed)).not.toContain(hashSecret(json.secret));
    await expect(authenticate(fresh(), json.secret, ['User'])).resolves.toMatchObject({ accountId: account });
    // The human output shows the secret once, with its warning.
    const human = await admin('key', 'create', '--account', account, '--roles', 'INTEGRATOR,OPERATOR', '--agent-id', '42');
    expect(human.out).toMatch(/Secret \(shown once[^\n]*\n msk_live_|Secret \(shown once[^\n]*\nmsk_live_/);
  });

  it('revokes a key: its credential item is gone, its record says revoked', async () => {
    const { json } = await admin('key', 'create', '--account', account, '--roles', 'User', '--json');
    expect((await admin('key', 'revoke', json.key.keyId, '--account', account, '--json')).json).toMatchObject({
      status: 'revoked',
      state: 'revoked',
    });
    expect(await item(keys.credential(hashSecret(json.secret)))).toBeUndefined();
    await expect(authenticate(fresh(), json.secret, ['User'])).rejects.toMatchObject({ code: 'unauthorized' });
    expect((await admin('key', 'revoke', json.key.keyId, '--account', account)).code).toBe(0);
    expect(await admin('key', 'revoke', 'key_missing', '--account', account)).toMatchObject({ code: 1 });
  });

  it('rotates a key with an overlap: both work until it ends, then only the new one', async () => {
    const old = (await admin('key', 'create', '--account', account, '--roles', 'OPERATOR', '--agent-id', '9', '--json')).json;
    // Shorter than the longest credential cache a stage may have: the old key could outlive it in a warm container.
    expect(await admin('key', 'rotate', old.key.keyId, '--account', account, '--overlap', '20s')).toMatchObject({
      code: 2,
      err: expect.stringMatching(/^invalid overlap: the overlap must be at least 60s/),
    });
    expect(await item(keys.accountKey(account, old.key.keyId))).not.toHaveProperty('retiresAt');
    const rotated = (await admin('key', 'rotate', old.key.keyId, '--account', account, '--overlap', '1h', '--json')).json;
    expect(rotated.key).toMatchObject({ roles: ['OPERATOR'], agentId: 9, state: 'active' });
    expect(rotated.replaces).toMatchObject({
      keyId: old.key.keyId,
      replacedBy: rotated.key.keyId,
      state: expect.stringMatching(/^retires /),
    });
    const retiresAt = rotated.replaces.retiresAt as number;
    await expect(authenticate(fresh(), old.secret, ['OPERATOR'])).resolves.toMatchObject({ accountId: account, agentId: 9 });
    await expect(authenticate(fresh(), rotated.secret, ['OPERATOR'])).resolves.toMatchObject({ accountId: account, agentId: 9 });
    // After the overlap (a clock past retiresAt), the old key is refused even from a warm cache.
    let now = Date.now();
    const store = credentialStore({ config: { CREDENTIAL_CACHE_SECONDS: 3600, UNKNOWN_CREDENTIAL_CACHE_SECONDS: 0 }, table }, () => now);
    await expect(authenticate(store, old.secret, ['OPERATOR'])).resolves.toBeDefined();
    now = retiresAt * 1000 + 1;
    await expect(authenticate(store, old.secret, ['OPERATOR'])).rejects.toMatchObject({ code: 'unauthorized' });
    await expect(authenticate(store, rotated.secret, ['OPERATOR'])).resolves.toBeDefined();
    expect(await item(keys.credential(hashSecret(old.secret)))).toMatchObject({ expiresAt: retiresAt });
  });

  it('disables an account: every key stops, events naming it are refused; enabling brings the keys back', async () => {
    const acct = `acct_${ulid()}`;
    await admin('account', 'create', acct, '--name', 'Soon disabled');
    const a = (await admin('key', 'create', '--account', acct, '--roles', 'User', '--json')).json;
    const b = (await admin('key', 'create', '--account', acct, '--roles', 'SUPERVISOR', '--agent-id', '3', '--json')).json;
    expect((await admin('account', 'disable', acct, '--json')).json).toEqual({ accountId: acct, status: 'disabled' });
    for (const secret of [a.secret, b.secret]) expect(await item(keys.credential(hashSecret(secret)))).toBeUndefined();
    expect((await admin('account', 'show', acct, '--json')).json).toMatchObject({
      status: 'disabled',
      keys: [{ state: 'active' }, { state: 'active' }],
    });
    expect((await admin('account', 'list', '--json')).json).toContainEqual({ accountId: acct, name: 'Soon disabled', status: 'disabled' });
    expect(await admin('key', 'create', '--account', acct, '--roles', 'User')).toMatchObject({
      code: 1,
      err: expect.stringContaining('disabled'),
    });
    const { accountExists } = await import('../../lib/store/accounts.js');
    expect(await accountExists(table, acct)).toBe(false);
    expect(await admin('account', 'enable', acct)).toMatchObject({ code: 0 });
    await expect(authenticate(fresh(), a.secret, ['User'])).resolves.toMatchObject({ accountId: acct });
    await expect(authenticate(fresh(), b.secret, ['SUPERVISOR'])).resolves.toMatchObject({ accountId: acct, agentId: 3 });
    expect(await accountExists(table, acct)).toBe(true);
    expect(await admin('account', 'disable', 'acct_missing')).toMatchObject({ code: 1 });
  });

  it('enabling never brings back a key revoked, nor drops the end of a key rotated, while it ran', async () => {
    const acct = `acct_${ulid()}`;
    await admin('account', 'create', acct, '--name', 'Race');
    const a = (await admin('key', 'create', '--account', acct, '--roles', 'User', '--json')).json;
    const b = (await admin('key', 'create', '--account', acct, '--roles', 'User', '--json')).json;
    const ops = { table, now: () => new Date() };
    /** The table, with `meanwhile` run once between enable's read of the keys and its first transaction. */
    const interleaved = (meanwhile: () => Promise<unknown>): Table => {
      let pending = true;
      const send = async (command: object) => {
        if (pending && command instanceof TransactWriteCommand) {
          pending = false;
          await meanwhile();
        }
        return table.client.send(command as TransactWriteCommand);
      };
      return { name: table.name, client: { send } as unknown as Table['client'] };
    };

    await actions.setAccountStatus(ops, acct, 'disabled');
    await actions.setAccountStatus({ ...ops, table: interleaved(() => actions.revokeKey(ops, acct, a.key.keyId)) }, acct, 'active');
    expect(await item(keys.credential(hashSecret(a.secret)))).toBeUndefined();
    await expect(authenticate(fresh(), a.secret, ['User'])).rejects.toMatchObject({ code: 'unauthorized' });
    await expect(authenticate(fresh(), b.secret, ['User'])).resolves.toMatchObject({ accountId: acct });

    // Enabling an active account again (finishing an interrupted run) while the other key is rotated.
    let rotation: Awaited<ReturnType<typeof actions.rotateKey>> | undefined;
    const rotate = async () => (rotation = await actions.rotateKey(ops, acct, b.key.keyId, 3600));
    await actions.setAccountStatus({ ...ops, table: interleaved(rotate) }, acct, 'active');
    expect(await item(keys.credential(hashSecret(b.secret)))).toMatchObject({ expiresAt: rotation!.replaces.retiresAt });
    await expect(authenticate(fresh(), rotation!.secret, ['User'])).resolves.toMatchObject({ accountId: acct });
  });

  it('binds an event producer to tenants, lists and unbinds it', async () => {
    const senderId = `AROA${ulid()}`;
    expect(
      (await admin('producer', 'bind', '--sqs-sender-id', senderId, '--account', account, '--account', 'acct_demo', '--json')).json,
    ).toEqual({
      producer: { kind: 'sqs', senderId },
      accountIds: [account, 'acct_demo'],
    });
    expect(await tenantsOf(table, { kind: 'sqs', senderId })).toEqual([account, 'acct_demo']);
    expect((await admin('producer', 'list', '--json')).json).toContainEqual({ kind: 'sqs', senderId, accountIds: [account, 'acct_demo'] });
    expect(await admin('producer', 'bind', '--sqs-sender-id', senderId, '--account', 'acct_nobody')).toMatchObject({ code: 1 });
    expect(await tenantsOf(table, { kind: 'sqs', senderId })).toEqual([account, 'acct_demo']);
    expect((await admin('producer', 'bind', '--events-account', '210987654321', '--source', 'crm.sync', '--account', account)).code).toBe(
      0,
    );
    expect(await tenantsOf(table, { kind: 'events', account: '210987654321', source: 'crm.sync' })).toEqual([account]);
    expect((await admin('producer', 'unbind', '--sqs-sender-id', senderId)).code).toBe(0);
    expect(await tenantsOf(table, { kind: 'sqs', senderId })).toEqual([]);
    expect(await admin('producer', 'unbind', '--sqs-sender-id', senderId)).toMatchObject({ code: 1 });
  });

  it('prints help', async () => {
    expect(await admin('--help')).toMatchObject({ code: 0, out: expect.stringContaining('messaging-admin <group> <command>') });
  });
});
