import { describe, expect, it } from 'vitest';
import { findPeerSession } from '../../lib/store/sessions.js';
import { getMessage } from '../../lib/store/messages.js';
import { api, expectNothingStored, expectResponseStatus, OTHER_KEY, randomPhone, table } from '../support/stack.js';

describe('/messages', () => {
  it('normalises toAddress to E.164, creates the session, and stores the message', async () => {
    const phone = randomPhone();
    const spaced = `${phone.slice(0, 2)} ${phone.slice(2, 5)} ${phone.slice(5, 8)} ${phone.slice(8)}`;
    const res = await api('/messages', { body: { endpointId: 'ep_demo', toAddress: spaced, body: 'first' } });
    expect(res.status).toBe(200);
    expect(res.json.otherAddress).toBe(phone);
    const session = await findPeerSession(table, 'ep_demo', phone, true);
    expect(session).toMatchObject({ accountId: 'acct_demo', endpointId: 'ep_demo', otherAddress: phone, sender: '+15550001111' });
    expect(await getMessage(table, session!.sessionId, res.json.id)).toMatchObject({ text: 'first' });

    const again = await api('/messages', { body: { endpointId: 'ep_demo', toAddress: phone, body: 'second' } });
    expect(again.status).toBe(200);
    expect(await getMessage(table, session!.sessionId, again.json.id)).toMatchObject({ text: 'second' });
  });

  it('ends concurrent first sends to one new pair in one session', async () => {
    const phone = randomPhone();
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => api('/messages', { body: { endpointId: 'ep_demo', toAddress: phone, body: `race ${i}` } })),
    );
    expect(results.map((r) => r.status)).toEqual(Array(10).fill(200));
    const session = await findPeerSession(table, 'ep_demo', phone, true);
    for (const r of results) expect(await getMessage(table, session!.sessionId, r.json.id)).toBeDefined();
  });

  it('sends into a session given by sessionId', async () => {
    const res = await api('/messages', { method: 'PUT', body: { sessionId: 'ses_demo', body: 'by session id' } });
    expect(res.status).toBe(200);
    expect(res.json.otherAddress).toBe('+15556667777');
  });

  it('binds the query string on every verb but GET (GET /messages is ListMessages)', async () => {
    const res = await api(`/messages?endpointId=ep_demo&toAddress=${encodeURIComponent('+15556667777')}&body=from%20query`, {
      method: 'PATCH',
    });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ text: 'from query', otherAddress: '+15556667777' });
  });

  describe('refuses, storing nothing', () => {
    const refusals: [string, object, number, string, string?][] = [
      ['neither sessionId nor endpointId + toAddress', { body: 'x' }, 400, 'NotEmpty', 'SessionId'],
      ['endpointId without toAddress', { endpointId: 'ep_demo', body: 'x' }, 400, 'NotEmpty', 'ToAddress'],
      ['toAddress without endpointId', { toAddress: '+15556667777', body: 'x' }, 400, 'NotEmpty', 'EndpointId'],
      [
        'a toAddress that is no phone number',
        { endpointId: 'ep_demo', toAddress: 'not a phone', body: 'x' },
        400,
        'InvalidPhoneNumber',
        'ToAddress',
      ],
      [
        'a toAddress too short for its country',
        { endpointId: 'ep_demo', toAddress: '+1555', body: 'x' },
        400,
        'InvalidPhoneNumber',
        'ToAddress',
      ],
      ['a number as endpointId', { endpointId: 7, toAddress: '+15556667777', body: 'x' }, 400, 'InvalidType', 'EndpointId'],
      ['an unknown endpoint', { endpointId: 'ep_nope', toAddress: randomPhone(), body: 'x' }, 404, 'NotFound', 'EndpointId'],
      ['an unknown session', { sessionId: 'ses_nope', body: 'x' }, 404, 'NotFound', 'SessionId'],
    ];
    it.each(refusals)('%s', async (_name, body, status, errorCode, fieldName) => {
      const res = await expectNothingStored(() => api('/messages', { body }));
      expect(res.status).toBe(status);
      expectResponseStatus(res.json, errorCode, fieldName);
    });

    it("another account's endpoint, new peer or existing: 404", async () => {
      for (const toAddress of [randomPhone(), '+15558889999']) {
        const res = await expectNothingStored(() => api('/messages', { body: { endpointId: 'ep_other', toAddress, body: 'x' } }));
        expect(res.status).toBe(404);
        expectResponseStatus(res.json, 'NotFound', 'EndpointId');
      }
      const bySession = await expectNothingStored(() => api('/messages', { body: { sessionId: 'ses_demo', body: 'x' }, key: OTHER_KEY }));
      expect(bySession.status).toBe(404);
    });
  });
});
