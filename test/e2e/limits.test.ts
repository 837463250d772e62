import { ulid } from 'ulid';
import { describe, expect, it } from 'vitest';
import * as ops from '../../scripts/admin/actions.js';
import { admin } from '../support/admin.js';
import { calls, resetCalls } from '../support/faults.js';
import { attribute, take } from '../support/queues.js';
import {
  api,
  changedSince,
  expectNothingStored,
  expectResponseStatus,
  invokeFunction,
  randomPhone,
  snapshot,
  table,
} from '../support/stack.js';

/**
 * Abuse and fairness through the local stack: an account's destination countries and daily quota
 * (docs/operations.md, "Limits"), on HTTP in both families and on events, and their cost on a warm send.
 */
const context = { table, now: () => new Date() };

/** A new account (nothing cached anywhere), a US endpoint, keys of both families, a bound SQS producer. */
async function tenant(...limits: string[]) {
  const accountId = `acct_${ulid()}`;
  const endpointId = `ep_${ulid()}`;
  await ops.createAccount(context, { accountId, name: 'Limits test' });
  await ops.createEndpoint(context, { endpointId, accountId, customerId: 'cus_lim', address: randomPhone(), displayName: 'Lim' });
  const user = await ops.createKey(context, { accountId, roles: ['User'] });
  const edna = await ops.createKey(context, { accountId, roles: ['INTEGRATOR'], agentId: 7 });
  const senderId = `AIDA${ulid()}`;
  await ops.bindProducer(context, { kind: 'sqs', senderId }, [accountId]);
  if (limits.length) expect((await admin('account', 'limits', accountId, ...limits, '--json')).code).toBe(0);
  return { accountId, endpointId, user: user.secret, edna: edna.secret, senderId };
}

const send = (t: { endpointId: string; user: string }, toAddress = randomPhone()) =>
  api('/messages', { body: { endpointId: t.endpointId, toAddress, body: `limits ${ulid()}` }, key: t.user });
const toDevice = (key: string, channelType: string, deviceAddress: string) =>
  api('/api/v1/messages/outgoing-to-device', { body: { text: 'hi', clientApplicationDescriptor: { channelType, deviceAddress } }, key });

describe('destination countries', () => {
  it("refuses a number outside the endpoints' countries with DestinationNotAllowed, in each family, storing nothing", async () => {
    const t = await tenant();
    expect((await send(t)).status).toBe(200);
    const res = await expectNothingStored(() => send(t, '+447700900123'));
    expect(res.status).toBe(403);
    expectResponseStatus(res.json, 'DestinationNotAllowed', 'ToAddress');
    expect(res.json.responseStatus.message).toBe("'ToAddress' is in GB, which this account may not send to (allowed: US).");

    const edna = await expectNothingStored(() => toDevice(t.edna, 'SMS', '79001234567'));
    expect(edna.status).toBe(403);
    expect(edna.json.errors).toEqual([
      {
        field: 'clientApplicationDescriptor.deviceAddress',
        message: expect.stringContaining('is in RU, which this account may not send to'),
      },
    ]);
  });

  it('takes the countries an operator sets with the CLI', async () => {
    const t = await tenant('--countries', 'gb,ca');
    expect((await admin('account', 'limits', t.accountId, '--json')).json).toMatchObject({ countries: ['CA', 'GB'], countriesFrom: 'set' });
    expect((await send(t, '+447700900123')).status).toBe(200);
    expect((await send(t)).status).toBe(403);
    expect((await admin('account', 'limits', t.accountId, '--countries', 'XX')).code).toBe(2);
  });
});

describe('daily quota', () => {
  it('refuses the send past the quota with 429 QuotaExceeded, its limit, its reset and Retry-After, storing nothing', async () => {
    const t = await tenant('--daily-quota', '2');
    expect((await send(t)).status).toBe(200);
    expect((await toDevice(t.edna, 'WHATSAPP', '79001234567')).status).toBe(200);
    // Nothing stored but the count: the refused send's own write found the quota used up.
    const before = await snapshot();
    const res = await send(t);
    expect((await changedSince(before)).filter((key) => !key.startsWith('QUOTA#'))).toEqual([]);
    expect(res.status).toBe(429);
    expectResponseStatus(res.json, 'QuotaExceeded');
    expect(res.json.responseStatus.message).toMatch(/daily quota of 2 messages is used up; it resets at \d{4}-\d\d-\d\dT00:00:00.000Z/);
    const retryAfter = Number(res.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(86_400);

    const edna = await toDevice(t.edna, 'WHATSAPP', '79001234567');
    expect(edna.status).toBe(429);
    expect(edna.json).toMatchObject({ status: 429, error: 'Too Many Requests' });
    expect(edna.headers.get('retry-after')).toBeTruthy();
  });

  it('dead-letters an event past the quota at once, with QuotaExceeded', async () => {
    const t = await tenant('--daily-quota', '0');
    const messageId = `m-${ulid()}`;
    const body = JSON.stringify({
      type: 'SendMessage',
      accountId: t.accountId,
      request: { endpointId: t.endpointId, toAddress: randomPhone(), body: 'x' },
    });
    const record = {
      messageId,
      body,
      receiptHandle: 'rh',
      attributes: { SenderId: t.senderId, ApproximateReceiveCount: '1' },
      messageAttributes: {},
      eventSource: 'aws:sqs',
    };
    const response = await invokeFunction('send-from-queue', { Records: [record] });
    expect(await response.json()).toEqual({ batchItemFailures: [] });
    const [dead] = await take('send-dlq', (m) => attribute(m, 'messageId') === messageId);
    expect(attribute(dead!, 'reason')).toBe('QuotaExceeded');
    expect(attribute(dead!, 'code')).toBe('too-many-requests');
  });
});

describe('cost', () => {
  it('a warm repeated send is still one DynamoDB call: the limits are cached and the quota written in batches', async () => {
    const t = await tenant();
    const toAddress = randomPhone();
    for (let i = 0; i < 2; i++) expect((await send(t, toAddress)).status).toBe(200);
    await resetCalls();
    expect((await send(t, toAddress)).status).toBe(200);
    const made = (await calls()).map((c) => `${c.operation} ${c.keys.map((k) => k.split('#')[0]).join()}`);
    // The send's own calls all come before its message's put; what follows is the dispatcher's.
    expect(made.slice(0, made.indexOf('PutItem SESSION') + 1)).toEqual(['PutItem SESSION']);
  });
});
