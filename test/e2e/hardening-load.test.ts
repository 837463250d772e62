import { describe, expect, it } from 'vitest';
import { deliveredAll, freshSession, pool, storedMessages } from '../support/load.js';
import { api } from '../support/stack.js';

const SENDS = 2000;
const CONCURRENCY = 50;

describe('load: 2,000 sends at concurrency 50 through the local stack', () => {
  let ids: string[] = [];

  it('stores exactly 2,000 distinct messages and answers no 5xx', async () => {
    const sessionId = await freshSession();
    const results = await pool(SENDS, CONCURRENCY, (i) => api(`/sessions/${sessionId}/messages`, { body: { body: `load ${i}` } }));
    const statuses = new Map<number, number>();
    for (const r of results) statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
    expect(Object.fromEntries(statuses)).toEqual({ 200: SENDS });
    ids = results.map((r) => r.json.id as string);
    expect(new Set(ids).size).toBe(SENDS);

    const stored = (await storedMessages(sessionId)).filter((m) => m.text !== 'opening');
    expect(stored).toHaveLength(SENDS);
    expect(new Set(stored.map((m) => m.id))).toEqual(new Set(ids));
    expect(new Set(stored.map((m) => m.text)).size).toBe(SENDS);
  }, 180_000);

  // Also leaves the delivery pipeline idle for the files after this one.
  it('delivers every one of them', async () => {
    expect(ids).toHaveLength(SENDS);
    await deliveredAll(ids, 280_000);
  }, 300_000);
});
