import { Validator } from '@seriousme/openapi-schema-validator';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { openApiDocument } from '../../lib/wire/describe/openapi.js';
import { DESCRIPTION_ROUTES, OPERATIONS, UNDESCRIBED_ROUTES } from '../../lib/wire/operations.js';

type Events = { httpApi?: { method: string; path: string } }[];
const serverless = parse(readFileSync(new URL('../../serverless.yml', import.meta.url), 'utf8')) as {
  functions: Record<string, { events?: Events }>;
};

/** `METHOD /path` of every HTTP route serverless.yml deploys, but the few that are described nowhere. */
const undescribed = UNDESCRIBED_ROUTES.map((r) => `${r.method} ${r.path}`);
const deployed = Object.values(serverless.functions)
  .flatMap((fn) => fn.events ?? [])
  .flatMap((event) => (event.httpApi ? [`${event.httpApi.method.toUpperCase()} ${event.httpApi.path}`] : []))
  .filter((route) => !undescribed.includes(route))
  .sort();

const ANY = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
const document = openApiDocument('http://localhost:3000', '0.0.0');

/** `METHOD /path` of every operation in the document; a route of any verb is all five. */
const documented = Object.entries(document.paths)
  .flatMap(([path, item]) => Object.keys(item).map((verb) => `${verb.toUpperCase()} ${path}`))
  .sort();

describe('the operation table', () => {
  it('names exactly the HTTP routes serverless.yml deploys', () => {
    const table = [
      ...OPERATIONS.flatMap((op) => op.routes.map((r) => `${r.method} ${r.path}`)),
      ...DESCRIPTION_ROUTES.map((r) => `GET ${r.path}`),
    ].sort();
    expect(table).toEqual(deployed);
  });
});

describe('/openapi.json', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    const validator = new Validator();
    const result = await validator.validate(structuredClone(document));
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
  });

  it('documents every route of serverless.yml (any verb as GET, POST, PUT, PATCH and DELETE), and nothing else', () => {
    const expected = deployed.flatMap((route) => {
      const [method, path] = route.split(' ') as [string, string];
      return method === '*' ? ANY.map((verb) => `${verb} ${path}`) : [route];
    });
    expect(documented).toEqual(expected.sort());
  });

  it('gives every operation a unique operationId, and every call but the metadata ones the bearer scheme', () => {
    const operations = Object.values(document.paths).flatMap(
      (item) => Object.values(item) as { operationId: string; security: unknown[]; tags: string[] }[],
    );
    expect(new Set(operations.map((o) => o.operationId)).size).toBe(operations.length);
    for (const op of operations) expect(op.security).toEqual(op.tags[0] === 'Metadata' ? [] : [{ bearer: [] }]);
    expect(document.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
  });

  it('describes the Idempotency-Key header, both families error bodies and examples', () => {
    const send = (document.paths['/messages'] as Record<string, any>).post;
    expect(send.parameters).toContainEqual({ $ref: '#/components/parameters/IdempotencyKey' });
    expect(send.responses['400'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/ErrorResponse' });
    expect(send.responses['200'].content['application/json'].example).toMatchObject({ accountId: 'acct_demo', direction: 'Outgoing' });
    expect(send.responses['503'].headers['retry-after'].schema.const).toBe('1');
    expect(send.responses['401'].headers['www-authenticate'].schema.const).toBe('Bearer');
    const edna = (document.paths['/api/v1/messages/outgoing-to-device'] as Record<string, any>).post;
    expect(edna.responses['400'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/EdnaError' });
    expect(edna.requestBody.content['application/json'].example.clientApplicationDescriptor.channelType).toBe('WHATSAPP');
    expect(document.components.schemas.SendMessage?.properties?.body?.description).toBe('The body of the message');
  });
});
