import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { keys } from '../../lib/store/keys.js';
import { calls, clearFaults, injectFault } from '../support/faults.js';
import { api, invokeFunction, item } from '../support/stack.js';

/**
 * Nothing stuck: a message whose dispatch from the stream keeps failing (every claim dispatch makes
 * through the fault proxy is refused, so the stream poller gives the record up, as Lambda would to its
 * on-failure queue) is found by the stack's sweeper, which reaches DynamoDB past the proxy, and
 * handed to the carrier exactly once.
 */
afterEach(clearFaults);

describe('the sweeper in the local stack', () => {
  it('dispatches a message whose stream record was lost, once, and a second sweep changes nothing', async () => {
    await injectFault({ operation: 'PutItem', keyPrefix: 'DELIVERY#', action: 'error', status: 500, errorType: 'InternalServerError' });
    const sent = await api('/sessions/ses_demo/messages', { body: { body: `stuck ${randomUUID()}` } });
    expect(sent.status, sent.text).toBe(200);
    const id: string = sent.json.id;
    // The stream's dispatch tried, and was refused every time.
    await expect
      .poll(async () => (await calls({ operation: 'PutItem', keyPrefix: `DELIVERY#${id}` })).length, { timeout: 20_000 })
      .toBeGreaterThan(0);

    await expect.poll(async () => (await item(keys.delivery(id)))?.status, { timeout: 60_000, interval: 250 }).toBe('delivered');
    const delivery = (await item(keys.delivery(id)))!;
    expect(String(delivery.attemptId)).toMatch(/^sweep:/);
    expect((await item(keys.carrierHandoff(id)))!).toMatchObject({ calls: 1 });

    const again = await invokeFunction('sweeper', {});
    expect(again.status).toBe(200);
    expect((await item(keys.carrierHandoff(id)))!).toMatchObject({ calls: 1 });
    expect((await item(keys.delivery(id)))!.history).toEqual(delivery.history);
  }, 90_000);
});
