import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { api, expectNothingStored, expectResponseStatus, OTHER_KEY, storedWithText } from '../support/stack.js';

describe('Idempotency-Key on the send routes', () => {
  it('replays the first response for the same key and request, storing one message', async () => {
    const key = randomUUID();
    const text = `idem ${key}`;
    const first = await api('/sessions/ses_demo/messages', { body: { body: text }, headers: { 'idempotency-key': key } });
    const again = await api('/sessions/ses_demo/messages', { body: { body: text }, headers: { 'idempotency-key': `"${key}"` } });
    const viaOtherRoute = await api('/messages', { body: { sessionId: 'ses_demo', body: text }, headers: { 'idempotency-key': key } });
    expect([first.status, again.status, viaOtherRoute.status]).toEqual([200, 200, 200]);
    expect(again.json).toEqual(first.json);
    expect(viaOtherRoute.json).toEqual(first.json);
    expect(await storedWithText(text)).toHaveLength(1);
  });

  it('refuses the same key with a different request: 422, nothing stored', async () => {
    const key = randomUUID();
    await api('/sessions/ses_demo/messages', { body: { body: `first ${key}` }, headers: { 'idempotency-key': key } });
    const res = await expectNothingStored(() =>
      api('/sessions/ses_demo/messages', { body: { body: `second ${key}` }, headers: { 'idempotency-key': key } }),
    );
    expect(res.status).toBe(422);
    expectResponseStatus(res.json, 'IdempotencyKeyReused', 'Idempotency-Key');
  });

  it('stores exactly one message for 20 parallel requests with one key, and answers every one 200 with its id', async () => {
    const key = randomUUID();
    const text = `race ${key}`;
    const results = await Promise.all(
      Array.from({ length: 20 }, () => api('/sessions/ses_demo/messages', { body: { body: text }, headers: { 'idempotency-key': key } })),
    );
    const stored = await storedWithText(text);
    expect(stored).toHaveLength(1);
    expect(results.map((r) => [r.status, r.json.id])).toEqual(results.map(() => [200, stored[0]!.id]));
  });

  it('keeps keys of two accounts apart', async () => {
    const key = randomUUID();
    const mine = await api('/sessions/ses_demo/messages', { body: { body: `a ${key}` }, headers: { 'idempotency-key': key } });
    const theirs = await api('/sessions/ses_other/messages', {
      body: { body: `b ${key}` },
      headers: { 'idempotency-key': key },
      key: OTHER_KEY,
    });
    expect([mine.status, theirs.status]).toEqual([200, 200]);
    expect(theirs.json.id).not.toBe(mine.json.id);
  });

  it('refuses a key that is not 1 to 255 visible ASCII characters', async () => {
    for (const key of ['x'.repeat(256), 'two words']) {
      const res = await expectNothingStored(() =>
        api('/sessions/ses_demo/messages', { body: { body: 'x' }, headers: { 'idempotency-key': key } }),
      );
      expect(res.status).toBe(400);
      expectResponseStatus(res.json, 'InvalidFormat', 'Idempotency-Key');
    }
  });
});
