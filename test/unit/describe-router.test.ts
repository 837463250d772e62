import { describe, expect, it } from 'vitest';
import type { HttpRequest } from '../../lib/wire/http.js';
import { describeApi } from '../../lib/wire/describe/router.js';

const request = (path: string, headers: Record<string, string> = {}, query: Record<string, string> = {}): HttpRequest => ({
  method: 'GET',
  path,
  headers: { host: 'abc.execute-api.eu-west-1.amazonaws.com', ...headers },
  query,
  pathParameters: {},
  body: '',
});
const site = { baseUrl: undefined, version: '1.2.3' };
const baseUrlLine = (body: string) => /\nBaseUrl: (.*)\n/.exec(body)?.[1];

describe('the BaseUrl of generated references', () => {
  it('is the request URL: forwarded scheme, host and the stage prefix before the route', () => {
    const response = describeApi(request('/prod/types/typescript', { 'x-forwarded-proto': 'https' }), site);
    expect(response.statusCode).toBe(200);
    expect(baseUrlLine(response.body)).toBe('https://abc.execute-api.eu-west-1.amazonaws.com/prod');
  });

  it('is plain http on the host when nothing is forwarded and there is no prefix', () => {
    expect(baseUrlLine(describeApi(request('/types/csharp', { host: 'localhost:3000' }), site).body)).toBe('http://localhost:3000');
  });

  it('is the configured public URL when there is one', () => {
    const body = describeApi(request('/prod/types/typescript'), { ...site, baseUrl: 'https://api.example.com/v1/' }).body;
    expect(baseUrlLine(body)).toBe('https://api.example.com/v1');
  });

  it('links the metadata pages and the OpenAPI servers under the same prefix', () => {
    const page = describeApi(request('/prod/metadata', { 'x-forwarded-proto': 'https' }), site).body;
    expect(page).toContain('href="https://abc.execute-api.eu-west-1.amazonaws.com/prod/json/metadata?op=SendMessage"');
    const document = JSON.parse(describeApi(request('/prod/openapi.json', { 'x-forwarded-proto': 'https' }), site).body);
    expect(document.servers).toEqual([{ url: 'https://abc.execute-api.eu-west-1.amazonaws.com/prod' }]);
    expect(document.info.version).toBe('1.2.3');
  });

  it('escapes whatever the Host header says before it reaches a page', () => {
    const page = describeApi(request('/json/metadata', { host: '"><script>x</script>' }, { op: 'SendMessage' }), site).body;
    expect(page).not.toContain('<script>');
  });

  it('lang=js on a metadata page shows the ES module code, as the seed page does', () => {
    const page = describeApi(request('/json/metadata', {}, { op: 'SendMessage', lang: 'js' }), site).body;
    expect(page).toContain('export class SendMessage {');
    expect(page).toContain('aria-current="page">JavaScript (mjs)</a>');
  });
});
