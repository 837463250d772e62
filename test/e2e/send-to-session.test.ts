import { describe, expect, it } from 'vitest';
import { getMessage } from '../../lib/store/messages.js';
import { api, expectNothingStored, expectResponseStatus, OTHER_KEY, table } from '../support/stack.js';

const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

describe('POST /sessions/{sessionId}/messages', () => {
  it('stores and returns a MessageInfo with the eleven fields of the seed', async () => {
    const res = await api('/sessions/ses_demo/messages', { body: { body: 'Hello from the test' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(Object.keys(res.json).sort()).toEqual(
      [
        'accountId',
        'customerId',
        'date',
        'direction',
        'endpointDisplayName',
        'endpointId',
        'id',
        'isUnread',
        'otherAddress',
        'sender',
        'text',
      ].sort(),
    );
    expect(res.json).toMatchObject({
      accountId: 'acct_demo',
      customerId: 'cus_demo',
      endpointId: 'ep_demo',
      endpointDisplayName: 'Demo Line',
      direction: 'Outgoing',
      otherAddress: '+15556667777',
      sender: '+15550001111',
      text: 'Hello from the test',
      isUnread: false,
    });
    expect(res.json.id).toMatch(ULID);
    expect(new Date(res.json.date).toISOString()).toBe(res.json.date);
    expect(await getMessage(table, 'ses_demo', res.json.id)).toEqual({ ...res.json, sessionId: 'ses_demo' });
  });

  it('lets the path sessionId win over endpointId/toAddress in the body', async () => {
    const res = await api('/sessions/ses_demo/messages', {
      body: { body: 'path wins', sessionId: 'ses_other', endpointId: 'ep_other', toAddress: '+15550009999' },
    });
    expect(res.status).toBe(200);
    expect(res.json.otherAddress).toBe('+15556667777');
  });

  it('gives distinct, time-ordered ids to consecutive sends', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await api('/sessions/ses_demo/messages', { body: { body: `n${i}` } })).json.id);
    expect(new Set(ids).size).toBe(5);
    expect([...ids].sort()).toEqual(ids);
  });

  it('trims the text and keeps Unicode intact', async () => {
    const res = await api('/sessions/ses_demo/messages', { body: { body: '  Grüße 👋 \u00e9  ' } });
    expect(res.status).toBe(200);
    expect(res.json.text).toBe('Grüße 👋 \u00e9');
  });

  describe('refuses, storing nothing', () => {
    const refusals: [string, Parameters<typeof api>[1], number, string, string?][] = [
      ['no API key', { body: { body: 'x' }, key: null }, 401, 'Unauthorized'],
      ['an unknown API key', { body: { body: 'x' }, key: 'not-a-key' }, 401, 'Unauthorized'],
      [
        'a malformed Authorization header',
        { body: { body: 'x' }, key: null, headers: { authorization: 'Basic abc' } },
        401,
        'Unauthorized',
      ],
      ['a key without role User', { body: { body: 'x' }, key: 'demo-integrator-token' }, 403, 'Forbidden'],
      ['malformed JSON', { body: '{"body": "x"', headers: { 'content-type': 'application/json' } }, 400, 'SerializationException'],
      ['a missing body', { body: {} }, 400, 'NotEmpty', 'Body'],
      ['an empty body', { body: { body: '' } }, 400, 'NotEmpty', 'Body'],
      ['a whitespace-only body', { body: { body: '   ' } }, 400, 'NotEmpty', 'Body'],
      ['a number as body', { body: { body: 42 } }, 400, 'InvalidType', 'Body'],
      ['an object as body', { body: { body: { a: 1 } } }, 400, 'InvalidType', 'Body'],
      ['a body over 1600 characters', { body: { body: 'x'.repeat(1601) } }, 400, 'MaximumLength', 'Body'],
      ['a request over 64 KB', { body: { body: 'x', pad: 'y'.repeat(70_000) } }, 413, 'PayloadTooLarge'],
      ['an unsupported content type', { body: 'body=x', headers: { 'content-type': 'text/csv' } }, 415, 'UnsupportedMediaType'],
    ];
    it.each(refusals)('%s', async (_name, init, status, errorCode, fieldName) => {
      const res = await expectNothingStored(() => api('/sessions/ses_demo/messages', init));
      expect(res.status).toBe(status);
      expectResponseStatus(res.json, errorCode, fieldName);
      expect(res.text).not.toMatch(/stack|\.ts:|node_modules/i);
      if (status === 401) expect(res.headers.get('www-authenticate')).toBe('Bearer');
    });

    it('an unknown session: 404 naming SessionId', async () => {
      const res = await expectNothingStored(() => api('/sessions/ses_nope/messages', { body: { body: 'x' } }));
      expect(res.status).toBe(404);
      expectResponseStatus(res.json, 'NotFound', 'SessionId');
    });

    it("another account's session: the same 404, revealing nothing", async () => {
      const res = await expectNothingStored(() => api('/sessions/ses_demo/messages', { body: { body: 'x' }, key: OTHER_KEY }));
      expect(res.status).toBe(404);
      expectResponseStatus(res.json, 'NotFound', 'SessionId');
    });

    it('a session id with characters no id has: 400 naming SessionId', async () => {
      const res = await expectNothingStored(() => api('/sessions/ses%23demo/messages', { body: { body: 'x' } }));
      expect(res.status).toBe(400);
      expectResponseStatus(res.json, 'InvalidFormat', 'SessionId');
    });
  });
});
