import { setTimeout as sleep } from 'node:timers/promises';
import { ulid } from 'ulid';
import { describe, expect, inject, it } from 'vitest';
import { generateSecret } from '../../lib/domain/secrets.js';
import * as admin from '../../scripts/admin/actions.js';
import { calls, resetCalls } from '../support/faults.js';
import { attribute, take } from '../support/queues.js';
import { api, invokeFunction, randomPhone, storedWithText, table } from '../support/stack.js';

/**
 * Revoking a key or disabling an account stops its sends within CREDENTIAL_CACHE_SECONDS (3 s in the
 * test stack, 60 by default), through the real stack, with no read added to a warm send: the
 * provisioning operations delete the credential items that sends read (and cache).
 */
const { credentialCacheSeconds } = inject('stack');
const ops = { table, now: () => new Date() };
/** Longer than the functions' credential cache: whatever they cached has expired. */
const waitOutTheCache = () => sleep(credentialCacheSeconds * 1000 + 500);

async function tenant() {
  const accountId = `acct_${ulid()}`;
  const endpointId = `ep_${ulid()}`;
  await admin.createAccount(ops, { accountId, name: 'Revocation test' });
  await admin.createEndpoint(ops, { endpointId, accountId, customerId: 'cus_rev', address: randomPhone(), displayName: 'Rev' });
  const user = await admin.createKey(ops, { accountId, roles: ['User'] });
  const edna = await admin.createKey(ops, { accountId, roles: ['INTEGRATOR'], agentId: 77 });
  return { accountId, endpointId, user, edna };
}

const send = (endpointId: string, key: string) => api('/messages', { body: { endpointId, toAddress: randomPhone(), body: 'hello' }, key });
const sendToDevice = (key: string) =>
  api('/api/v1/messages/outgoing-to-device', {
    body: { text: 'hi', clientApplicationDescriptor: { channelType: 'SMS', deviceAddress: '15550001234' } },
    key,
  });
const credentialReads = async () => (await calls({ operation: 'GetItem', keyPrefix: 'CREDENTIAL#' })).length;

describe('revocation through the local stack', () => {
  it('a revoked key gets 401 once CREDENTIAL_CACHE_SECONDS have passed; a warm send reads no credential', async () => {
    const { accountId, endpointId, user } = await tenant();
    expect((await send(endpointId, user.secret)).status).toBe(200);
    await resetCalls();
    expect((await send(endpointId, user.secret)).status).toBe(200);
    expect(await credentialReads()).toBe(0);

    await admin.revokeKey(ops, accountId, user.key.keyId);
    await waitOutTheCache();
    const refused = await send(endpointId, user.secret);
    expect(refused.status).toBe(401);
  });

  it('a rotation overlap outlasts the credential cache: the old key, cached before the rotation, stops when the overlap ends', async () => {
    const { accountId, endpointId, user } = await tenant();
    // Warm every container's cache with the old key, read before the rotation (so without expiresAt).
    expect((await send(endpointId, user.secret)).status).toBe(200);
    const cli = { ...ops, credentialCacheSeconds };
    // Shorter than the cache: a warm container would accept the old key past the overlap's end.
    await expect(admin.rotateKey(cli, accountId, user.key.keyId, credentialCacheSeconds - 1)).rejects.toMatchObject({
      code: 'invalid',
      fields: [expect.objectContaining({ field: 'overlap' })],
    });
    expect((await admin.listKeys(ops, accountId)).find((key) => key.keyId === user.key.keyId)).toMatchObject({ state: 'active' });

    const overlap = credentialCacheSeconds + 2;
    const rotated = await admin.rotateKey(cli, accountId, user.key.keyId, overlap);
    expect((await send(endpointId, rotated.secret)).status).toBe(200);
    await sleep(Math.max(0, rotated.replaces.retiresAt! * 1000 - Date.now()) + 500);
    expect((await send(endpointId, user.secret)).status).toBe(401);
    expect((await send(endpointId, rotated.secret)).status).toBe(200);
  });

  it('disabling an account stops every key of it, Evo Voice and edna; enabling restores them', async () => {
    const { accountId, endpointId, user, edna } = await tenant();
    expect((await send(endpointId, user.secret)).status).toBe(200);
    expect((await sendToDevice(edna.secret)).status).toBe(200);

    await admin.setAccountStatus(ops, accountId, 'disabled');
    await waitOutTheCache();
    expect((await send(endpointId, user.secret)).status).toBe(401);
    expect((await sendToDevice(edna.secret)).status).toBe(401);

    await admin.setAccountStatus(ops, accountId, 'active');
    // The containers remember the keys as unknown for UNKNOWN_CREDENTIAL_CACHE_SECONDS; a new key works at once.
    const fresh = await admin.createKey(ops, { accountId, roles: ['User'] });
    expect((await send(endpointId, fresh.secret)).status).toBe(200);
  });

  it('refuses, at once, queued sends naming a disabled account: dead-lettered, nothing stored', async () => {
    const { accountId, endpointId } = await tenant();
    const senderId = `AIDA${ulid()}`;
    await admin.bindProducer(ops, { kind: 'sqs', senderId }, [accountId]);
    const deliver = async (messageId: string, text: string) => {
      const body = JSON.stringify({
        type: 'SendMessage',
        accountId,
        idempotencyKey: messageId,
        request: { endpointId, toAddress: randomPhone(), body: text },
      });
      const record = {
        messageId,
        body,
        receiptHandle: 'rh',
        attributes: { SenderId: senderId, ApproximateReceiveCount: '1' },
        messageAttributes: {},
        eventSource: 'aws:sqs',
      };
      const response = await invokeFunction('send-from-queue', { Records: [record] });
      expect(await response.json()).toEqual({ batchItemFailures: [] });
    };
    const before = `before ${ulid()}`;
    await deliver(`m-${ulid()}`, before);
    expect(await storedWithText(before)).toHaveLength(1);

    await admin.setAccountStatus(ops, accountId, 'disabled');
    const after = `after ${ulid()}`;
    const refused = `m-${ulid()}`;
    await deliver(refused, after);
    const [dead] = await take('send-dlq', (m) => attribute(m, 'messageId') === refused);
    expect(attribute(dead!, 'code')).toBe('not-found');
    expect(await storedWithText(after)).toEqual([]);
  });

  it('remembers an unknown key: repeating it costs one read; a forged issued-shape key costs none', async () => {
    const unknown = `unknown-${ulid()}`;
    await resetCalls();
    for (let i = 0; i < 5; i++) expect((await send('ep_demo', unknown)).status).toBe(401);
    expect(await credentialReads()).toBe(1);

    await resetCalls();
    const forged = `${generateSecret().slice(0, -1)}!`;
    const tampered = generateSecret().replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'));
    for (const key of [forged, tampered]) expect((await send('ep_demo', key)).status).toBe(401);
    expect(await credentialReads()).toBe(0);
  });
});
