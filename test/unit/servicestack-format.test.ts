import { describe, expect, it } from 'vitest';
import { jsonpCallback, responseFormat } from '../../lib/wire/servicestack/format.js';
import { MAX_DEPTH, parseDataContract } from '../../lib/wire/servicestack/xml-read.js';
import { writeDataContract } from '../../lib/wire/servicestack/xml-write.js';
import type { HttpRequest } from '../../lib/wire/http.js';

const request = (overrides: Partial<HttpRequest>): HttpRequest => ({
  method: 'POST',
  path: '/messages',
  headers: {},
  query: {},
  pathParameters: {},
  body: '',
  ...overrides,
});

describe('responseFormat', () => {
  it('orders suffix, ?format, Accept, content type, then JSON', () => {
    expect(responseFormat(request({ path: '/messages.xml', query: { format: 'json' }, headers: { accept: 'application/json' } }))).toBe(
      'xml',
    );
    expect(responseFormat(request({ query: { format: 'XML' }, headers: { accept: 'application/json' } }))).toBe('xml');
    expect(responseFormat(request({ headers: { accept: 'application/json;q=0.5, text/xml', 'content-type': 'application/json' } }))).toBe(
      'xml',
    );
    expect(responseFormat(request({ headers: { accept: 'application/xml;q=0, */*', 'content-type': 'text/xml' } }))).toBe('xml');
    expect(responseFormat(request({ headers: { 'content-type': 'application/xml; charset=utf-8' } }))).toBe('xml');
    expect(responseFormat(request({}))).toBe('json');
  });
});

describe('jsonpCallback', () => {
  it('accepts identifier paths only', () => {
    expect(jsonpCallback(request({ query: { callback: 'jQuery_123.cb$' } }))).toBe('jQuery_123.cb$');
    expect(() => jsonpCallback(request({ query: { callback: 'x);alert(1' } }))).toThrow(/callback/);
  });
});

const SESSIONS = 'http://schemas.datacontract.org/2004/07/Voice.Api.Sessions';
const SEND_MESSAGE = { root: 'SendMessage', namespace: SESSIONS };
const read = (xml: string) => parseDataContract(xml, SEND_MESSAGE);
const body = (inner: string) => `<SendMessage xmlns="${SESSIONS}"><Body>${inner}</Body></SendMessage>`;
/** The message of the refusal, which must be a 400 SerializationException. */
function refusal(xml: string): string {
  try {
    read(xml);
  } catch (error) {
    expect(error).toMatchObject({ code: 'invalid', reason: 'SerializationException' });
    return (error as Error).message;
  }
  throw new Error('accepted');
}
/** `depth` elements nested, the root included. */
const nested = (depth: number) => `<SendMessage xmlns="${SESSIONS}">${'<a>'.repeat(depth - 1)}x${'</a>'.repeat(depth - 1)}</SendMessage>`;

describe('DataContract XML in', () => {
  it('reads fields, decodes the predefined entities, and drops i:nil elements', () => {
    const xml = `<?xml version="1.0"?><SendMessage xmlns:i="http://www.w3.org/2001/XMLSchema-instance" xmlns="${SESSIONS}"><Body>a &amp; b &lt;c&gt;</Body><SessionId i:nil="true"/><ToAddress/></SendMessage>`;
    expect(read(xml)).toEqual({ Body: 'a & b <c>', ToAddress: '' });
  });

  it('reads an indented document with a comment', () => {
    expect(
      read(
        `<?xml version="1.0" encoding="utf-8"?>\n<!-- from a .NET client -->\n<SendMessage xmlns="${SESSIONS}">\n  <Body>x</Body>\n</SendMessage>\n`,
      ),
    ).toEqual({ Body: 'x' });
  });

  it.each([
    ['caf&#xE9; caf&#233;', 'café café'],
    ['a&#xD;&#xA;b&#13;&#10;c&#x9;', 'a\r\nb\r\nc\t'],
    ['&#x1F642; &#128578;', '🙂 🙂'],
    ['&#x0041;&#0000066;', 'AB'],
    ['&amp;#233; &quot;&apos;', '&#233; "\''],
    ['<![CDATA[&#233; &amp;]]>', '&#233; &amp;'],
  ])('decodes the character references of %j', (inner, text) => {
    expect(read(body(inner)).Body).toBe(text);
  });

  it.each([
    '&#xD800;',
    '&#xDFFF;',
    '&#55296;',
    '&#x0;',
    '&#0;',
    '&#x1;',
    '&#xFFFE;',
    '&#x110000;',
    '&#99999999999999999999;',
    '&#x;',
    '&nbsp;',
    '&foo;',
  ])('refuses the reference %s with a 400 instead of dropping it', (reference) => {
    expect(refusal(body(`x${reference}y`))).toMatch(/reference/);
  });

  it('refuses a root element outside the namespace ServiceStack uses for the DTO', () => {
    expect(refusal('<SendMessage><Body>x</Body></SendMessage>')).toBe(
      `Expecting element 'SendMessage' from namespace '${SESSIONS}', not from namespace ''`,
    );
    expect(
      refusal('<SendMessage xmlns="http://schemas.datacontract.org/2004/07/Voice.Api.Messaging"><Body>x</Body></SendMessage>'),
    ).toMatch(/Expecting element 'SendMessage' from namespace/);
    expect(refusal(`<SendMessage xmlns="${SESSIONS}/"><Body>x</Body></SendMessage>`)).toMatch(/Expecting element/);
    expect(refusal('<SendMessage/>')).toMatch(/Expecting element/);
  });

  it('accepts the namespace through a prefix, and prefixed children', () => {
    expect(
      read(
        `<s:SendMessage xmlns:s="${SESSIONS}" xmlns:x="http://www.w3.org/2001/XMLSchema-instance"><s:Body>x</s:Body><s:SessionId x:nil="true"/></s:SendMessage>`,
      ),
    ).toEqual({ Body: 'x' });
    expect(refusal(`<s:SendMessage xmlns="${SESSIONS}" xmlns:s="urn:other"><s:Body>x</s:Body></s:SendMessage>`)).toMatch(
      /Expecting element/,
    );
  });

  it(`accepts ${MAX_DEPTH} levels of nesting, the root included, and refuses ${MAX_DEPTH + 1}`, () => {
    expect(read(nested(MAX_DEPTH))).toHaveProperty('a');
    expect(refusal(nested(MAX_DEPTH + 1))).toBe(`The request body nests XML elements deeper than ${MAX_DEPTH} levels`);
  });

  it('refuses nesting as deep as a 64 KB body can hold, past what the parser can descend', () => {
    expect(refusal(nested(9000))).toBe(`The request body nests XML elements deeper than ${MAX_DEPTH} levels`);
  });

  it('reads an element named like a member every object has as a field of that name', () => {
    expect(read(`<SendMessage xmlns="${SESSIONS}"><toString>a</toString><hasOwnProperty>b</hasOwnProperty></SendMessage>`)).toEqual({
      toString: 'a',
      hasOwnProperty: 'b',
    });
  });

  it.each(['__proto__', 'constructor', 'prototype', 's:__proto__'])('refuses a <%s> element by its name', (name) => {
    expect(refusal(`<SendMessage xmlns="${SESSIONS}"><${name}>x</${name}></SendMessage>`)).toBe(`The XML name '${name}' is not accepted`);
  });

  it.each([
    '<!DOCTYPE x []><SendMessage/>',
    `<!ENTITY x "y"><SendMessage xmlns="${SESSIONS}"/>`,
    `<?pi x?><SendMessage xmlns="${SESSIONS}"/>`,
    '<SendMessage>',
    `<Other xmlns="${SESSIONS}"/>`,
    body('a & b'),
    body('&#12a;'),
    body('caf&#XE9;'),
    `${body('x')}${body('y')}`,
  ])('refuses %s', (xml) => {
    refusal(xml);
  });
});

describe('DataContract XML out', () => {
  it('writes members in the given order, nils, arrays and escapes', () => {
    expect(writeDataContract('R', 'ns', { A: 'x<y', B: null, C: [{ D: true }] }, { C: 'Item' })).toBe(
      '<R xmlns:i="http://www.w3.org/2001/XMLSchema-instance" xmlns="ns"><A>x&lt;y</A><B i:nil="true" /><C><Item><D>true</D></Item></C></R>',
    );
  });

  it('never emits an unpaired surrogate or a character XML cannot hold, and keeps CR as a reference', () => {
    const xml = writeDataContract('R', 'ns', { A: 'a\ud800b\udc00c\u0000d\u001be\uffff 🙂 \r\n' });
    expect(xml).toContain('<A>a\ufffdb\ufffdc\ufffdd\ufffde\ufffd 🙂 &#xD;\n</A>');
    expect(xml.isWellFormed()).toBe(true);
    expect(read(`<SendMessage xmlns="${SESSIONS}"><Body>${/<A>(.*)<\/A>/s.exec(xml)![1]}</Body></SendMessage>`).Body).toBe(
      'a\ufffdb\ufffdc\ufffdd\ufffde\ufffd 🙂 \r\n',
    );
  });
});
