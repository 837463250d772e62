import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { conformanceProblems, type Document, type Exchange } from '../support/openapi-conformance.js';
import { api, randomPhone } from '../support/stack.js';

interface Call {
  method?: string;
  url: string;
  body?: string | object;
  key?: string | null;
  headers?: Record<string, string>;
}

/** Every call through the local stack, checked against the /openapi.json the same stack serves. */
async function check(document: Document, calls: Call[]): Promise<string[]> {
  const problems: string[] = [];
  for (const call of calls) {
    const method = call.method ?? (call.body === undefined ? 'GET' : 'POST');
    const answer = await api(call.url, { method, body: call.body, key: call.key, headers: call.headers });
    const exchange: Exchange = {
      method,
      url: call.url,
      status: answer.status,
      contentType: answer.headers.get('content-type') ?? '',
      body: answer.text,
    };
    problems.push(...conformanceProblems(document, exchange).map((problem) => `${method} ${call.url} -> ${answer.status}: ${problem}`));
  }
  return problems;
}

const served = async (): Promise<Document> => (await api('/openapi.json', { key: null })).json;

const INTEGRATOR = 'demo-integrator-token';
const DEMO_NUMBER = '+15550001111';

/**
 * The document and the answers can not drift apart: representative calls of every route, answered
 * and refused, through a validating check of each answer (test/support/openapi-conformance.ts).
 */
describe('the real answers match /openapi.json', () => {
  it('the pages and documents that describe the API', async () => {
    const document = await served();
    const anonymous = (url: string): Call => ({ url, key: null });
    const urls = [
      '/openapi.json',
      '/openapi.yaml',
      '/types',
      ...['csharp', 'typescript', 'python', 'vbnet', 'js', 'mjs', 'metadata', 'nope'].map((lang) => `/types/${lang}`),
      '/types/typescript?IncludeTypes=SendMessage.*&WithoutOptions',
      '/metadata',
      '/json/metadata?op=SendMessage',
      '/xml/metadata?op=ListMessages&lang=csharp',
      '/json/metadata?op=Nope',
      '/docs',
      '/docs/swagger-ui.css',
      '/docs/swagger-ui-bundle.js',
      '/docs/init.js',
      '/docs/nope.css',
    ];
    expect(await check(document, urls.map(anonymous))).toEqual([]);
  });

  it('SendMessage, answered and refused, in each format', async () => {
    const document = await served();
    const text = `conformance ${randomUUID()}`;
    expect(
      await check(document, [
        { url: '/sessions/ses_demo/messages', body: { body: text } },
        { url: '/sessions/ses_demo/messages.xml', body: { Body: `${text} xml` } },
        { url: '/sessions/ses_demo/messages', body: { body: '' } },
        { url: '/sessions/ses_demo/messages', body: { body: text }, key: null },
        { url: '/sessions/ses_demo/messages', body: { body: text }, key: 'no-such-key' },
        { url: '/sessions/ses_nope/messages', body: { body: text } },
        { url: '/sessions/ses_demo/messages', body: 'x', headers: { 'content-type': 'text/csv' } },
        { url: '/messages', body: { endpointId: 'ep_demo', toAddress: randomPhone(), body: text } },
        { url: '/messages.json', method: 'PUT', body: { EndpointId: 'ep_demo', ToAddress: randomPhone(), Body: text } },
        { url: '/json/reply/SendMessage', body: { sessionId: 'ses_demo', body: text }, headers: { 'idempotency-key': randomUUID() } },
        { url: `/api/SendMessage?sessionId=ses_demo&body=${encodeURIComponent(text)}`, method: 'GET' },
        { url: '/api/SendMessage?SessionId=ses_demo&Body=PascalCase', method: 'GET' },
      ]),
    ).toEqual([]);
  });

  it('the reads: ListMessages (its lists comma-separated, its names in PascalCase), a session, a status', async () => {
    const document = await served();
    const sent = await api('/sessions/ses_demo/messages', { body: { body: `status ${randomUUID()}` } });
    const id = sent.json.id as string;
    expect(
      await check(document, [
        { url: '/messages?endpointIds=ep_demo&countPerPage=2' },
        { url: '/messages?endpointIds=ep_demo,ep_other&sortOrder=Ascend' },
        { url: '/messages?EndpointIds=ep_demo&CountPerPage=1&SimplifiedPaging=true' },
        { url: '/messages.xml?countPerPage=1' },
        { url: '/messages?countPerPage=1000' },
        { url: '/api/ListMessages?conversationIds=ses_demo', method: 'GET' },
        { url: '/api/ListMessages', method: 'POST', body: { endpointIds: ['ep_demo'], countPerPage: 1 } },
        { url: '/sessions/ses_demo/messages?limit=2' },
        { url: '/sessions/ses_demo/messages.xml?limit=1' },
        { url: `/sessions/ses_demo/messages/${id}/status` },
        { url: '/sessions/ses_demo/messages/01ARZ3NDEKTSV4RRFFQ69G5FAV/status' },
        { url: `/sessions/ses_demo/messages/${id}/read`, method: 'POST' },
      ]),
    ).toEqual([]);
  });

  it('edna outgoing-to-device', async () => {
    const document = await served();
    const descriptor = { channelType: 'WHATSAPP', deviceAddress: randomPhone('7900') };
    expect(
      await check(document, [
        {
          url: '/api/v1/messages/outgoing-to-device',
          body: { text: `edna ${randomUUID()}`, clientApplicationDescriptor: descriptor },
          key: INTEGRATOR,
        },
        { url: '/api/v1/messages/outgoing-to-device', body: { clientApplicationDescriptor: descriptor }, key: INTEGRATOR },
        { url: '/api/v1/messages/outgoing-to-device', body: { text: 'x', clientApplicationDescriptor: descriptor } },
      ]),
    ).toEqual([]);
  });

  it('the simulated carrier, which this stage serves, is documented under the dev tag', async () => {
    const document = (await served()) as Document & { tags: { name: string }[] };
    expect(document.tags.map((tag) => tag.name)).toContain('dev');
    expect(
      await check(document, [
        { url: '/dev/carrier/outbox' },
        { url: '/dev/carrier/outbox', key: null },
        { url: '/dev/carrier/inbound', body: { from: '+15556667777', to: DEMO_NUMBER, text: `dev ${randomUUID()}` } },
        { url: '/dev/carrier/inbound', body: { from: '+15556667777', to: '+15550009999', text: 'to nobody' } },
        { url: '/dev/carrier/inbound', body: { from: '+15556667777', to: DEMO_NUMBER, text: '' } },
      ]),
    ).toEqual([]);
  });

  it('the check itself finds an undocumented media type, status, route, query name and a body off its schema', async () => {
    const document = await served();
    const problems = (exchange: Partial<Exchange>) =>
      conformanceProblems(document, {
        method: 'GET',
        url: '/types',
        status: 200,
        contentType: 'application/json',
        body: '{}',
        ...exchange,
      });
    expect(problems({})).toEqual([]);
    expect(problems({ contentType: 'text/css' })).toHaveLength(1);
    expect(problems({ status: 418 })).toHaveLength(1);
    expect(problems({ url: '/nowhere' })).toHaveLength(1);
    expect(problems({ method: 'DELETE' })).toHaveLength(1);
    const list = { url: '/sessions/ses_demo/messages', contentType: 'application/json; charset=utf-8' };
    expect(problems({ ...list, body: '{"results":[{"id":1}]}' })).toHaveLength(1);
    expect(
      problems({ ...list, url: '/messages?nope=1', body: '{"items":[],"totalCount":0,"totalPages":0,"hasMorePages":false}' }),
    ).toHaveLength(1);
  });
});
