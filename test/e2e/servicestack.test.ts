import { JsonServiceClient, type ResponseStatus } from '@servicestack/client';
import { XMLParser } from 'fast-xml-parser';
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { getMessage } from '../../lib/store/messages.js';
import { allItems, api, expectNothingStored, ports, table } from '../support/stack.js';

/** The DTOs as "Add ServiceStack Reference" generates them (seed 000). */
class MessageInfo {
  id?: string;
  text?: string;
  otherAddress?: string;
  constructor(init?: Partial<MessageInfo>) {
    Object.assign(this, init);
  }
}
class SendMessage {
  sessionId?: string;
  endpointId?: string;
  toAddress?: string;
  body?: string;
  constructor(init?: Partial<SendMessage>) {
    Object.assign(this, init);
  }
  getTypeName() {
    return 'SendMessage';
  }
  getMethod() {
    return 'POST';
  }
  createResponse() {
    return new MessageInfo();
  }
}

const baseUrl = `http://127.0.0.1:${ports.http}`;
const client = (basePath?: null) => {
  const c = new JsonServiceClient(baseUrl);
  if (basePath === null) c.basePath = null as unknown as string;
  c.bearerToken = 'demo-user-key';
  return c;
};

const SESSIONS_NS = 'http://schemas.datacontract.org/2004/07/Voice.Api.Sessions';
const MESSAGING_NS = 'http://schemas.datacontract.org/2004/07/Voice.Api.Messaging';
const XSI = 'http://www.w3.org/2001/XMLSchema-instance';
const MESSAGE_INFO_ORDER = [
  'AccountId',
  'CustomerId',
  'Date',
  'Direction',
  'EndpointDisplayName',
  'EndpointId',
  'Id',
  'IsUnread',
  'OtherAddress',
  'Sender',
  'Text',
];

const sendMessageXml = (fields: Record<string, string>) =>
  `<SendMessage xmlns:i="${XSI}" xmlns="${SESSIONS_NS}">${Object.entries(fields)
    .map(([k, v]) => `<${k}>${v}</${k}>`)
    .join('')}</SendMessage>`;

/** A real XML parser, keeping element order and attributes. */
const ordered = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', preserveOrder: true, parseTagValue: false });
function rootOf(xml: string): { name: string; attributes: Record<string, string>; children: [string, string][] } {
  const doc = ordered.parse(xml) as Record<string, any>[];
  const root = doc.find((node) => !Object.keys(node)[0]!.startsWith('?'))!;
  const name = Object.keys(root).find((k) => k !== ':@')!;
  const children = (root[name] as Record<string, any>[]).map((child) => {
    const childName = Object.keys(child).find((k) => k !== ':@')!;
    const content = child[childName] as Record<string, any>[];
    return [childName, content.length === 1 && '#text' in content[0]! ? String(content[0]!['#text']) : JSON.stringify(content)] as [
      string,
      string,
    ];
  });
  return { name, attributes: root[':@'] ?? {}, children };
}

describe('ServiceStack clients', () => {
  it('JsonServiceClient with its default /api/ base path sends a message that lands in the table', async () => {
    const text = `from JsonServiceClient ${randomUUID()}`;
    const response = await client().post(new SendMessage({ sessionId: 'ses_demo', body: text }));
    expect(response).toMatchObject({ text, otherAddress: '+15556667777' });
    expect(await getMessage(table, 'ses_demo', response.id!)).toMatchObject({ text });
  });

  it('JsonServiceClient with basePath null uses /json/reply/ and addresses by endpoint', async () => {
    const response = await client(null).post(new SendMessage({ endpointId: 'ep_demo', toAddress: '+1 555 777 8888', body: 'old client' }));
    expect(response).toMatchObject({ text: 'old client', otherAddress: '+15557778888' });
  });

  it('raises an error whose responseStatus names the field for a validation error (WebServiceException in .NET)', async () => {
    const error = await client()
      .post(new SendMessage({ sessionId: 'ses_demo', body: '' }))
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    const { responseStatus } = error as { responseStatus: ResponseStatus };
    expect(responseStatus.errorCode).toBe('NotEmpty');
    expect(responseStatus.errors![0]).toMatchObject({ errorCode: 'NotEmpty', fieldName: 'Body' });
  });
});

describe('XML', () => {
  it('reads a DataContract SendMessage and answers MessageInfo in DataContract order and namespace', async () => {
    const text = `xml & <escaped> "text" ${randomUUID()}`;
    const escaped = text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
    const res = await api('/sessions/ses_demo/messages', {
      body: `<?xml version="1.0" encoding="utf-8"?>${sendMessageXml({ Body: escaped, EndpointId: 'ignored', SessionId: 'ses_other', ToAddress: '' })}`,
      headers: { 'content-type': 'application/xml' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/xml/);
    const root = rootOf(res.text);
    expect(root.name).toBe('MessageInfo');
    expect(root.attributes).toEqual({ '@xmlns:i': XSI, '@xmlns': MESSAGING_NS });
    expect(root.children.map(([name]) => name)).toEqual(MESSAGE_INFO_ORDER);
    const values = Object.fromEntries(root.children);
    expect(values).toMatchObject({
      AccountId: 'acct_demo',
      Direction: 'Outgoing',
      IsUnread: 'false',
      OtherAddress: '+15556667777',
      Sender: '+15550001111',
    });
    expect(values.Text).toBe(text);
    expect(res.text).toContain(`<Text>${escaped.replace(/"/g, '&quot;')}</Text>`);
    expect(await getMessage(table, 'ses_demo', values.Id!)).toMatchObject({ text });
  });

  it('treats i:nil elements as absent', async () => {
    const res = await api('/messages.xml', {
      body: `<SendMessage xmlns:i="${XSI}" xmlns="${SESSIONS_NS}"><Body>nil session</Body><EndpointId>ep_demo</EndpointId><SessionId i:nil="true" /><ToAddress>+15556667777</ToAddress></SendMessage>`,
      headers: { 'content-type': 'text/xml' },
    });
    expect(res.status).toBe(200);
    expect(Object.fromEntries(rootOf(res.text).children).Text).toBe('nil session');
  });

  it('answers errors as an ErrorResponse with the ResponseStatus', async () => {
    const res = await expectNothingStored(() =>
      api('/sessions/ses_demo/messages', { body: sendMessageXml({ Body: '' }), headers: { 'content-type': 'application/xml' } }),
    );
    expect(res.status).toBe(400);
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', parseTagValue: false }).parse(res.text);
    expect(doc.ErrorResponse['@xmlns']).toBe('http://schemas.servicestack.net/types');
    expect(doc.ErrorResponse.ResponseStatus).toMatchObject({
      ErrorCode: 'NotEmpty',
      Message: "'Body' must not be empty.",
      Errors: { ResponseError: { ErrorCode: 'NotEmpty', FieldName: 'Body', Message: "'Body' must not be empty." } },
    });
    expect(rootOf(res.text).children.length).toBe(1);
  });

  it('lists messages as XML', async () => {
    const res = await api('/sessions/ses_demo/messages.xml?limit=1');
    expect(res.status).toBe(200);
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', parseTagValue: false }).parse(res.text);
    expect(doc.MessageList['@xmlns']).toBe(MESSAGING_NS);
    expect(doc.MessageList.Results.MessageInfo.AccountId).toBe('acct_demo');
    expect(typeof doc.MessageList.Next).toBe('string');
  });

  const hostile: [string, string][] = [
    [
      'billion laughs',
      `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">]><SendMessage xmlns="${SESSIONS_NS}"><Body>&lol2;</Body><SessionId>ses_demo</SessionId></SendMessage>`,
    ],
    [
      'external entity',
      `<?xml version="1.0"?><!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><SendMessage xmlns="${SESSIONS_NS}"><Body>&xxe;</Body></SendMessage>`,
    ],
    [
      'external DTD',
      `<?xml version="1.0"?><!DOCTYPE SendMessage SYSTEM "http://127.0.0.1:9/evil.dtd"><SendMessage xmlns="${SESSIONS_NS}"><Body>x</Body></SendMessage>`,
    ],
    [
      'processing instruction',
      `<?xml version="1.0"?><?xml-stylesheet href="http://127.0.0.1:9/x.xsl"?><SendMessage xmlns="${SESSIONS_NS}"><Body>x</Body></SendMessage>`,
    ],
    ['deep nesting', `<SendMessage xmlns="${SESSIONS_NS}"><Body>${'<a>'.repeat(500)}x${'</a>'.repeat(500)}</Body></SendMessage>`],
    ['malformed', `<SendMessage xmlns="${SESSIONS_NS}"><Body>x</SendMessage>`],
    ['another root', `<DeleteEverything xmlns="${SESSIONS_NS}"><Body>x</Body></DeleteEverything>`],
  ];
  it.each(hostile)('refuses %s with 400 before expanding anything, storing nothing', async (_name, xml) => {
    const res = await expectNothingStored(() =>
      api('/sessions/ses_demo/messages', { body: xml, headers: { 'content-type': 'application/xml' } }),
    );
    expect(res.status).toBe(400);
    expect(res.text).not.toMatch(/root:|lol{3}/);
  });
});

describe('format selection, as ServiceStack orders it', () => {
  const send = (path: string, headers: Record<string, string> = {}, body: string | object = { sessionId: 'ses_demo', body: 'format' }) =>
    api(path, { method: 'POST', body, headers });
  const formatOf = (res: { headers: Headers }) => (res.headers.get('content-type')!.includes('xml') ? 'xml' : 'json');

  it.each([
    ['/messages', {}, 'json'],
    ['/messages.xml', {}, 'xml'],
    ['/messages.json', { accept: 'application/xml' }, 'json'],
    ['/sessions/ses_demo/messages.xml', { accept: 'application/json' }, 'xml'],
    ['/messages?format=xml', {}, 'xml'],
    ['/messages?format=json', { accept: 'application/xml' }, 'json'],
    ['/messages', { accept: 'application/xml' }, 'xml'],
    ['/messages', { accept: 'text/html, application/xml;q=0.9, */*;q=0.8' }, 'xml'],
    ['/messages', { accept: '*/*' }, 'json'],
    ['/xml/reply/SendMessage', {}, 'xml'],
    ['/json/reply/SendMessage', { accept: 'application/xml' }, 'json'],
    ['/api/SendMessage', {}, 'json'],
  ] as const)('%s with %j answers %s', async (path, headers, format) => {
    const res = await send(path, headers);
    expect(res.status).toBe(200);
    expect(formatOf(res)).toBe(format);
  });

  it('falls back to the request content type when nothing else decides', async () => {
    const res = await send('/messages', { 'content-type': 'application/xml' }, sendMessageXml({ Body: 'ct', SessionId: 'ses_demo' }));
    expect(formatOf(res)).toBe('xml');
    const json = await send(
      '/messages',
      { 'content-type': 'application/xml', accept: 'application/json' },
      sendMessageXml({ Body: 'ct', SessionId: 'ses_demo' }),
    );
    expect(formatOf(json)).toBe('json');
  });

  it('wraps JSON in the ?callback= function (JSONP)', async () => {
    const res = await send('/messages?callback=app.onMessage');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/javascript/);
    const match = /^app\.onMessage\((.*)\)$/s.exec(res.text);
    expect(JSON.parse(match![1]!)).toMatchObject({ text: 'format' });
  });

  it.each(['alert(1)', 'a;b', '1abc', 'x'.repeat(129), 'a..b'])('refuses the callback %j with 400, storing nothing', async (callback) => {
    const res = await expectNothingStored(() => send(`/messages?callback=${encodeURIComponent(callback)}`));
    expect(res.status).toBe(400);
    expect(res.json.responseStatus.errors[0].fieldName).toBe('Callback');
  });
});

describe('request binding', () => {
  it('binds PascalCase JSON keys', async () => {
    const res = await api('/messages', { body: { SessionId: 'ses_demo', Body: 'Pascal' } });
    expect(res.json).toMatchObject({ text: 'Pascal' });
  });

  it('binds form bodies in any case', async () => {
    const res = await api('/messages', {
      body: new URLSearchParams({ endpointid: 'ep_demo', TOADDRESS: '+15556667777', Body: 'form' }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ text: 'form', otherAddress: '+15556667777' });
  });

  it('binds the query string on any verb, and the path wins over body and query', async () => {
    const res = await api('/messages?EndpointId=ep_demo&ToAddress=%2B15556667777&Body=query', { method: 'DELETE' });
    expect(res.json).toMatchObject({ text: 'query' });
    const pathWins = await api('/sessions/ses_demo/messages?sessionId=ses_other', { body: { sessionId: 'ses_other', body: 'path' } });
    expect(pathWins.status).toBe(200);
    expect(pathWins.json.otherAddress).toBe('+15556667777');
  });

  it('refuses an unsupported content type with 415 in the asked format', async () => {
    const res = await expectNothingStored(() => api('/messages.xml', { body: 'a,b', headers: { 'content-type': 'text/csv' } }));
    expect(res.status).toBe(415);
    expect(res.text).toContain('<ErrorCode>UnsupportedMediaType</ErrorCode>');
  });

  it('stores every XML, form and JSON send it accepted', async () => {
    const before = (await allItems()).length;
    await api('/messages', { body: { sessionId: 'ses_demo', body: 'counted' } });
    expect((await allItems()).length).toBe(before + 1);
  });
});
