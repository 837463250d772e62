import { describe, expect, it } from 'vitest';
import { api, expectNothingStored, storedWithText } from '../support/stack.js';

/**
 * HEAD is a safe verb (RFC 9110): whatever its query says, it never sends. The any-verb routes of
 * SendMessage reach the send function with it (API Gateway's ANY, and serverless-offline's `*`).
 */
describe('HEAD on a SendMessage route', () => {
  const routes = ['/api/SendMessage', '/json/reply/SendMessage', '/xml/reply/SendMessage'];

  it.each(routes)('%s is refused with 405 and Allow, and stores nothing', async (route) => {
    const text = `head ${route} ${Date.now()}`;
    const queries: Record<string, string>[] = [
      { sessionId: 'ses_demo', body: text },
      { endpointId: 'ep_demo', toAddress: '+15556667777', body: text },
    ];
    for (const query of queries) {
      const response = await expectNothingStored(() => api(`${route}?${new URLSearchParams(query)}`, { method: 'HEAD' }));
      expect(response.status).toBe(405);
      expect(response.headers.get('allow')).toBe('GET, POST, PUT, PATCH, DELETE');
      expect(response.text).toBe('');
    }
    expect(await storedWithText(text)).toEqual([]);
  });

  it('is refused before the key is even checked: no key, or a wrong one, is still 405', async () => {
    for (const key of [null, 'no-such-key']) {
      const response = await expectNothingStored(() => api('/api/SendMessage?sessionId=ses_demo&body=x', { method: 'HEAD', key }));
      expect(response.status).toBe(405);
    }
  });

  it('the same request with GET still sends there, as in Evo Voice (docs/apis.md)', async () => {
    const text = `get after head ${Date.now()}`;
    const response = await api(`/api/SendMessage?${new URLSearchParams({ sessionId: 'ses_demo', body: text })}`, { method: 'GET' });
    expect(response.status).toBe(200);
    expect(await storedWithText(text)).toHaveLength(1);
  });

  it('a HEAD on a read (ListMessages) answers as its GET, without a body', async () => {
    const response = await api('/api/ListMessages?countPerPage=1', { method: 'HEAD' });
    expect(response.status).toBe(200);
    expect(response.text).toBe('');
  });
});
