import { describe, expect, it } from 'vitest';
import { jsonpCallback, responseFormat } from '../../lib/wire/servicestack/format.js';
import { parseDataContract } from '../../lib/wire/servicestack/xml-read.js';
import { writeDataContract } from '../../lib/wire/servicestack/xml-write.js';
import type { HttpRequest } from '../../lib/wire/http.js';

const request = (overrides: Partial<HttpRequest>): HttpRequest => ({ method: 'POST', path: '/messages', headers: {}, query: {}, pathParameters: {}, body: '', ...overrides });

describe('responseFormat', () => {
  it('orders suffix, ?format, Accept, content type, then JSON', () => {
    expect(responseFormat(request({ path: '/messages.xml', query: { format: 'json' }, headers: { accept: 'application/json' } }))).toBe('xml');
    expect(responseFormat(request({ query: { format: 'XML' }, headers: { accept: 'application/json' } }))).toBe('xml');
    expect(responseFormat(request({ headers: { accept: 'application/json;q=0.5, text/xml', 'content-type': 'application/json' } }))).toBe('xml');
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

describe('DataContract XML', () => {
  it('reads fields, decodes the predefined entities, and drops i:nil elements', () => {
    const xml = '<?xml version="1.0"?><SendMessage xmlns:i="http://www.w3.org/2001/XMLSchema-instance" xmlns="ns"><Body>a &amp; b &lt;c&gt;</Body><SessionId i:nil="true"/><ToAddress/></SendMessage>';
    expect(parseDataContract(xml, 'SendMessage')).toEqual({ Body: 'a & b <c>', ToAddress: '' });
  });

  it.each(['<!DOCTYPE x []><SendMessage/>', '<!ENTITY x "y"><SendMessage/>', '<?pi x?><SendMessage/>', '<SendMessage>', '<Other/>'])('refuses %s', (xml) => {
    expect(() => parseDataContract(xml, 'SendMessage')).toThrow();
  });

  it('writes members in the given order, nils, arrays and escapes', () => {
    expect(writeDataContract('R', 'ns', { A: 'x<y', B: null, C: [{ D: true }] }, { C: 'Item' })).toBe(
      '<R xmlns:i="http://www.w3.org/2001/XMLSchema-instance" xmlns="ns"><A>x&lt;y</A><B i:nil="true" /><C><Item><D>true</D></Item></C></R>',
    );
  });
});
