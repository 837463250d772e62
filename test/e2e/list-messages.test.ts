import { describe, expect, it } from 'vitest';
import { findPeerSession } from '../../lib/store/sessions.js';
import { api, expectNothingStored, expectResponseStatus, OTHER_KEY, randomPhone, table } from '../support/stack.js';

describe('GET /sessions/{sessionId}/messages', () => {
  it('pages through the messages newest first with an opaque cursor', async () => {
    const phone = randomPhone();
    const sent: string[] = [];
    let sessionId = '';
    for (let i = 0; i < 5; i++) {
      const res = await api('/messages', { body: { endpointId: 'ep_demo', toAddress: phone, body: `m${i}` } });
      sent.push(res.json.id);
    }
    sessionId = (await findPeerSession(table, 'ep_demo', phone, true))!.sessionId;

    const first = await api(`/sessions/${sessionId}/messages?limit=2`);
    expect(first.status).toBe(200);
    expect(first.json.results.map((m: { id: string }) => m.id)).toEqual([sent[4], sent[3]]);
    expect(first.json.results[0]).toMatchObject({ text: 'm4', direction: 'Outgoing', otherAddress: phone });
    expect(first.json.results[0]).not.toHaveProperty('sessionId');
    const second = await api(`/sessions/${sessionId}/messages?limit=2&cursor=${first.json.next}`);
    expect(second.json.results.map((m: { id: string }) => m.id)).toEqual([sent[2], sent[1]]);
    const third = await api(`/sessions/${sessionId}/messages?limit=2&cursor=${second.json.next}`);
    expect(third.json.results.map((m: { id: string }) => m.id)).toEqual([sent[0]]);
    expect(third.json.next).toBeUndefined();
  });

  it.each([
    ['limit=0', 'Limit'],
    ['limit=101', 'Limit'],
    ['limit=abc', 'Limit'],
    ['cursor=not-a-cursor', 'Cursor'],
  ])('refuses %s with 400 naming the field', async (query, fieldName) => {
    const res = await expectNothingStored(() => api(`/sessions/ses_demo/messages?${query}`));
    expect(res.status).toBe(400);
    expect(res.json.responseStatus.errors[0].fieldName).toBe(fieldName);
  });

  it("answers 404 for another account's session and 401 without a key", async () => {
    const other = await api('/sessions/ses_demo/messages', { key: OTHER_KEY });
    expect(other.status).toBe(404);
    expectResponseStatus(other.json, 'NotFound', 'SessionId');
    expect((await api('/sessions/ses_demo/messages', { key: null })).status).toBe(401);
  });
});
