import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { api, expectNothingStored, expectResponseStatus, randomPhone, storedWithText } from '../support/stack.js';

const SESSIONS_NS = 'http://schemas.datacontract.org/2004/07/Voice.Api.Sessions';
const EDNA = '/api/v1/messages/outgoing-to-device';
const INTEGRATOR = 'demo-integrator-token';

/** JSON.stringify writes an unpaired surrogate as a `\ud800` escape: exactly what a client would send. */
const sendJson = (body: Record<string, unknown>) => api('/sessions/ses_demo/messages', { body });
const sendXml = (inner: string, xmlns = ` xmlns="${SESSIONS_NS}"`) =>
  api('/sessions/ses_demo/messages', {
    body: `<SendMessage${xmlns}>${inner}</SendMessage>`,
    headers: { 'content-type': 'application/xml', accept: 'application/json' },
  });
const sendEdna = (body: Record<string, unknown>) => api(EDNA, { body, key: INTEGRATOR });
const ednaFields = (json: any) => (json.errors as { field: string }[]).map((e) => e.field);

describe('Unicode rules through the stack', () => {
  it.each([
    ['an unpaired surrogate', `hi \ud800 there`, 'InvalidUnicode'],
    ['only invisible characters', '\u200b\u2060\ufeff ', 'NotEmpty'],
  ])('refuses a SendMessage body of %s with 400 naming Body, storing nothing', async (_name, body, code) => {
    const res = await expectNothingStored(() => sendJson({ body }));
    expect(res.status).toBe(400);
    expectResponseStatus(res.json, code, 'Body');
  });

  it('refuses an edna clientId with an unpaired surrogate and invisible-only text, naming the field, storing nothing', async () => {
    const descriptor = { channelType: 'MOBILE', deviceAddress: `dev-${randomUUID()}` };
    const surrogate = await expectNothingStored(() =>
      sendEdna({ text: 'x', clientApplicationDescriptor: { ...descriptor, clientId: 'c-\udc00' } }),
    );
    expect(surrogate.status).toBe(400);
    expect(ednaFields(surrogate.json)).toEqual(['clientApplicationDescriptor.clientId']);
    const invisible = await expectNothingStored(() => sendEdna({ text: '\u200b', clientApplicationDescriptor: descriptor }));
    expect(invisible.status).toBe(400);
    expect(ednaFields(invisible.json)).toEqual(['text']);
  });

  it('refuses a bidi override in an edna attachment name, and keeps bidi isolates in message text', async () => {
    const descriptor = { channelType: 'WHATSAPP', deviceAddress: randomPhone('7900') };
    const attachment = { url: 'https://example.com/a.pdf', name: 'invoice\u202efdp.exe', mimeType: 'application/pdf' };
    const refused = await expectNothingStored(() => sendEdna({ attachments: [attachment], clientApplicationDescriptor: descriptor }));
    expect(refused.status).toBe(400);
    expect(ednaFields(refused.json)).toEqual(['attachments[0].name']);
    const text = `\u2067مرحبا\u2069 ${randomUUID()}`;
    expect((await sendEdna({ text, clientApplicationDescriptor: descriptor })).status).toBe(200);
    expect(await storedWithText(text)).toHaveLength(1);
  });
});

describe('XML requests through the stack', () => {
  it('decodes character references, CR included, before storing the text', async () => {
    const id = randomUUID();
    const res = await sendXml(`<Body>caf&#xE9; &#233;&#xD;&#xA;${id}</Body>`);
    expect(res.status).toBe(200);
    expect(res.json.text).toBe(`café é\r\n${id}`);
    expect(await storedWithText(`café é\r\n${id}`)).toHaveLength(1);
  });

  it.each([
    ['a surrogate reference', '<Body>x&#xD800;y</Body>', undefined],
    ['a NUL reference', '<Body>x&#x0;y</Body>', undefined],
    ['no namespace', '<Body>x</Body>', ''],
    ['another namespace', '<Body>x</Body>', ' xmlns="http://schemas.datacontract.org/2004/07/Voice.Api.Messaging"'],
    ['a __proto__ element', '<__proto__>x</__proto__><Body>x</Body>', undefined],
  ])('refuses %s with 400 SerializationException, storing nothing', async (_name, inner, xmlns) => {
    const res = await expectNothingStored(() => sendXml(`${inner}<SessionId>ses_demo</SessionId>`, xmlns));
    expect(res.status).toBe(400);
    expectResponseStatus(res.json, 'SerializationException');
  });
});

describe('X-Content-Type-Options: nosniff', () => {
  const nosniff = (res: { headers: Headers }) => expect(res.headers.get('x-content-type-options')).toBe('nosniff');

  it('on ServiceStack successes and errors, in JSON, XML and JSONP', async () => {
    const sends = [
      await api('/sessions/ses_demo/messages?callback=cb', { body: { body: `nosniff ${randomUUID()}` } }),
      await api('/sessions/ses_demo/messages.xml?limit=1'),
      await api('/sessions/ses_demo/messages', { body: { body: '' } }),
      await api('/sessions/ses_demo/messages.xml', { body: { body: '' } }),
      await api('/sessions/ses_demo/messages', { key: null }),
    ];
    expect(sends.map((res) => res.status)).toEqual([200, 200, 400, 400, 401]);
    sends.forEach(nosniff);
  });

  it('on edna successes and errors', async () => {
    const sends = [
      await sendEdna({
        text: `nosniff ${randomUUID()}`,
        clientApplicationDescriptor: { channelType: 'WHATSAPP', deviceAddress: randomPhone('7900') },
      }),
      await sendEdna({ text: 'x' }),
      await api(EDNA, { body: { text: 'x' }, key: 'demo-user-key' }),
    ];
    expect(sends.map((res) => res.status)).toEqual([200, 400, 403]);
    sends.forEach(nosniff);
  });
});
