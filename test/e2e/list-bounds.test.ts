import { ulid } from 'ulid';
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_SCAN_IDS } from '../../lib/domain/list-messages-query.js';
import { keys } from '../../lib/store/keys.js';
import * as ops from '../../scripts/admin/actions.js';
import { clearFaults, injectFault } from '../support/faults.js';
import { api, expectNothingStored, expectResponseStatus, item, randomPhone, table } from '../support/stack.js';

/** ListMessages' bounds (docs/apis.md) and its index queries under the invocation's deadline (review M7, L10). */
afterEach(clearFaults);

describe('ListMessages: bounded reads', () => {
  it(`refuses more than ${MAX_SCAN_IDS} endpoints to read from with a 400 naming EndpointIds`, async () => {
    const ids = Array.from({ length: MAX_SCAN_IDS + 1 }, (_, i) => `ep_${i}`).join(',');
    const res = await expectNothingStored(() => api(`/messages?endpointIds=${ids}`));
    expect(res.status).toBe(400);
    expectResponseStatus(res.json, 'LessThanOrEqual', 'EndpointIds');
    expect((await api(`/messages?endpointIds=${ids.split(',').slice(1).join(',')}`)).status).toBe(200);
  });
});

describe('ListMessages: deadlines', () => {
  it('an index Query slower than the invocation answers 503 with Retry-After before Lambda times out', async () => {
    // A tenant of its own: its key and its session are read (not cached) before the index.
    const context = { table, now: () => new Date() };
    const accountId = `acct_${ulid()}`;
    const endpointId = `ep_${ulid()}`;
    const toAddress = randomPhone();
    await ops.createAccount(context, { accountId, name: 'Deadline test' });
    await ops.createEndpoint(context, { endpointId, accountId, customerId: 'cus_dl', address: randomPhone(), displayName: 'DL' });
    const { secret } = await ops.createKey(context, { accountId, roles: ['User'] });
    expect((await api('/messages', { body: { endpointId, toAddress, body: 'hi' }, key: secret })).status).toBe(200);
    const { sessionId } = (await item(keys.peer(endpointId, toAddress)))!;

    // 2.9 s each for the key and the session (under the SDK's 3 s timeout), then Queries that would
    // answer after the function's 10 s timeout: the second attempt of the first one is cut at the deadline.
    await injectFault({ operation: 'GetItem', keyPrefix: 'CREDENTIAL#', action: 'delay', delayMs: 2900, times: 1 });
    await injectFault({ operation: 'GetItem', keyPrefix: 'SESSION#', action: 'delay', delayMs: 2900, times: 1 });
    await injectFault({ operation: 'Query', action: 'delay', delayMs: 9000 });
    const res = await api(`/messages?conversationIds=${String(sessionId)}`, { key: secret });
    expect(res.status, res.text).toBe(503);
    expect(res.headers.get('retry-after')).toBe('1');
    expectResponseStatus(res.json, 'ServiceUnavailable');
  }, 40_000);
});
