import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { clearFaults, injectFault } from '../support/faults.js';
import { deliveredAll, freshSession, pool, storedMessages } from '../support/load.js';
import { api, expectResponseStatus } from '../support/stack.js';

const SENDS = 300;

describe('fault: DynamoDB unreachable in the middle of a load', () => {
  afterEach(clearFaults);

  it('answers 503 with Retry-After meanwhile, stores every send exactly once, and recovers without a restart', async () => {
    const sessionId = await freshSession();
    const keys = Array.from({ length: SENDS }, () => randomUUID());
    const outages: Awaited<ReturnType<typeof api>>[] = [];
    const otherFailures: Awaited<ReturnType<typeof api>>[] = [];
    let completed = 0;
    let outage: Promise<void> | undefined;

    // A well-behaved client: retries a 503 or 409 with the same Idempotency-Key after Retry-After.
    const send = async (i: number) => {
      for (;;) {
        const res = await api(`/sessions/${sessionId}/messages`, {
          body: { body: `fault ${i}` },
          headers: { 'idempotency-key': keys[i]! },
        });
        if (res.status === 200) {
          // The outage: every connection to DynamoDB is reset before anything reaches it.
          if (++completed === 60)
            outage = (async () => {
              await injectFault({ action: 'reset' });
              await new Promise((resolve) => setTimeout(resolve, 1500));
              await clearFaults();
            })();
          return res.json.id as string;
        }
        if (res.status === 503) outages.push(res);
        else if (res.status !== 409) otherFailures.push(res);
        await new Promise((resolve) => setTimeout(resolve, 1000 * Number(res.headers.get('retry-after') ?? 1)));
      }
    };
    const ids = await pool(SENDS, 10, send);
    await outage;

    expect(otherFailures.map((r) => `${r.status} ${r.text}`)).toEqual([]);
    expect(outages.length).toBeGreaterThan(0);
    for (const r of outages) {
      expect(r.headers.get('retry-after')).toBe('1');
      expectResponseStatus(r.json, 'ServiceUnavailable');
      expect(r.text).not.toMatch(/ECONN|socket|127\.0\.0\.1|stack/i);
    }
    expect(new Set(ids).size).toBe(SENDS);
    const stored = (await storedMessages(sessionId)).filter((m) => m.text !== 'opening');
    expect(stored).toHaveLength(SENDS);
    expect(new Set(stored.map((m) => m.id))).toEqual(new Set(ids));

    const after = await api(`/sessions/${sessionId}/messages`, { body: { body: 'after the outage' } });
    expect(after.status).toBe(200);
    // Every stored message is delivered once the store is back (and the pipeline is idle for the next file).
    await deliveredAll(ids, 120_000);
  }, 300_000);
});
