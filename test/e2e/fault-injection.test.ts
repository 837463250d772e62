import { afterEach, describe, expect, it } from 'vitest';
import { calls, clearFaults, injectFault, resetCalls } from '../support/faults.js';
import { api, expectResponseStatus, storedWithText } from '../support/stack.js';

describe('fault injection through the stack (test/support/faults.ts)', () => {
  afterEach(clearFaults);

  it("logs the functions' DynamoDB calls by operation and key", async () => {
    await resetCalls();
    expect((await api('/sessions/ses_demo/messages', { body: { body: `logged ${Math.random()}` } })).status).toBe(200);
    const writes = await calls({ keyPrefix: 'SESSION#ses_demo', sortKeyPrefix: 'MESSAGE#' });
    expect(writes.length).toBeGreaterThan(0);
    expect(await calls({ keyPrefix: 'SESSION#no-such-session' })).toEqual([]);
  });

  it("faults only the functions' requests that match, until cleared", async () => {
    await injectFault({ sortKeyPrefix: 'MESSAGE#', action: 'error', errorType: 'ProvisionedThroughputExceededException' });
    const text = `throttled ${Math.random()}`;
    const refused = await api('/sessions/ses_demo/messages', { body: { body: text } });
    expect(refused.status).toBe(503);
    expectResponseStatus(refused.json, 'ServiceUnavailable');
    expect(await storedWithText(text)).toEqual([]);
    await clearFaults();
    expect((await api('/sessions/ses_demo/messages', { body: { body: text } })).status).toBe(200);
  });

  it('refuses a rule it does not understand', async () => {
    await expect(injectFault({ action: 'explode' } as never)).rejects.toThrow(/400/);
  });
});
