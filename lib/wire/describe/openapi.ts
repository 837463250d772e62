import { DESCRIPTION_ROUTES, OPERATIONS, type HttpRoute, type Operation } from '../operations.js';
import type { DomainErrorCode } from '../../domain/errors.js';
import { errorHeaders, HTTP_STATUS } from '../status.js';
import { contractSchemas, schemaOf, type JsonSchema } from './schemas.js';
import { SERVICE_NAME } from './html.js';
import { MEDIA, routeFormat, type Format } from '../servicestack/format.js';

const ANY_VERB = ['get', 'post', 'put', 'patch', 'delete'] as const;
const WITH_BODY = new Set(['post', 'put', 'patch']);
const ref = (id: string) => ({ $ref: `#/components/schemas/${id}` });

/** The formats a ServiceStack route answers in: its own when it names one (`.xml`, `/json/reply/`), else both. */
function routeFormats(op: Operation, path: string): Format[] {
  if (op.family === 'edna') return ['json'];
  const own = routeFormat(path);
  return own ? [own] : ['json', 'xml'];
}

function content(schemaId: string, formats: Format[]) {
  const example = schemaOf(schemaId).examples?.[0];
  return Object.fromEntries(
    formats.map((f) => [MEDIA[f], { schema: ref(schemaId), ...(example !== undefined && f === 'json' ? { example } : {}) }]),
  );
}

/** Why each domain error is answered; keyed like HTTP_STATUS, so that a new error code must be described here. */
const REASONS: Record<DomainErrorCode, string> = {
  invalid: 'A field is refused (every refused field is named)',
  unauthorized: 'No key, or an unknown key',
  forbidden: 'The key lacks the role',
  'not-found': "No such session or endpoint, or another account's",
  'payload-too-large': 'The body is too large',
  'unsupported-media-type': 'The content type is not supported',
  'idempotency-key-reused': 'The Idempotency-Key was used with another request',
  'too-many-requests': 'Rate limit or daily quota: retry after Retry-After',
  unavailable: 'The store is unavailable: retry after Retry-After',
};

/** The error statuses an operation can answer, with the headers the wire layer adds to each. */
function errorResponses(op: Operation, formats: Format[]) {
  const errorBody = content(op.family === 'edna' ? 'EdnaError' : 'ErrorResponse', formats);
  const response = (status: number, description: string) => {
    // A 429's Retry-After is the error's own time (a quota resets at midnight UTC): no constant.
    const headers = Object.entries(errorHeaders(status)).map(([name, value]) => [
      name,
      { schema: { type: 'string', ...(status === 429 ? {} : { const: value }) } },
    ]);
    return [
      String(status),
      { description, ...(headers.length ? { headers: Object.fromEntries(headers) } : {}), content: errorBody },
    ] as const;
  };
  const codes = (Object.keys(HTTP_STATUS) as DomainErrorCode[]).filter((code) => code !== 'idempotency-key-reused' || op.idempotent);
  return Object.fromEntries([
    ...codes.map((code) => response(HTTP_STATUS[code], REASONS[code])),
    response(500, 'An unexpected error (nothing about it is said)'),
  ]);
}

function parameters(op: Operation, route: HttpRoute, verb: string) {
  const request = schemaOf(op.request);
  const inPath = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
  const required = new Set(request.required ?? []);
  const property = (name: string): JsonSchema => request.properties?.[name] ?? { type: 'string' };
  const path = inPath.map((name) => ({ name, in: 'path', required: true, schema: property(name) }));
  const query =
    op.family === 'servicestack' && !WITH_BODY.has(verb)
      ? Object.keys(request.properties ?? {})
          .filter((name) => !inPath.includes(name))
          .map((name) => ({ name, in: 'query', required: required.has(name), schema: property(name) }))
      : [];
  const idempotency = op.idempotent ? [{ $ref: '#/components/parameters/IdempotencyKey' }] : [];
  return [...path, ...query, ...idempotency];
}

function requestBody(op: Operation, formats: Format[]) {
  const media: Record<string, unknown> = content(op.request, formats);
  if (op.family === 'servicestack') media['application/x-www-form-urlencoded'] = { schema: ref(op.request) };
  // ServiceStack binds the query string and path too, so its body is optional.
  return { required: op.family === 'edna', content: media };
}

const operationId = (op: Operation, verb: string, path: string) =>
  `${op.name}_${verb}_${path
    .replace(/[{}]/g, '')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_|_$/g, '')}`;

function operationPaths(paths: Record<string, Record<string, unknown>>) {
  for (const op of OPERATIONS) {
    for (const route of op.routes) {
      const formats = routeFormats(op, route.path);
      const verbs = route.method === '*' ? ANY_VERB : [route.method.toLowerCase()];
      for (const verb of verbs) {
        (paths[route.path] ??= {})[verb] = {
          operationId: operationId(op, verb, route.path),
          tags: [op.name],
          summary: op.summary,
          description: `${schemaOf(op.request).description ?? op.summary}. Requires role ${op.roles.join(' or ')}.`,
          security: [{ bearer: [] }],
          parameters: parameters(op, route, verb),
          ...(WITH_BODY.has(verb) ? { requestBody: requestBody(op, formats) } : {}),
          responses: { '200': { description: 'OK', content: content(op.response, formats) }, ...errorResponses(op, formats) },
        };
      }
    }
  }
}

function descriptionPaths(paths: Record<string, Record<string, unknown>>) {
  for (const route of DESCRIPTION_ROUTES) {
    const inPath = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => ({
      name: m[1]!,
      in: 'path',
      required: true,
      schema: { type: 'string' },
    }));
    paths[route.path] = {
      get: {
        operationId: `describe_${route.path.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_|_$/g, '')}`,
        tags: ['Metadata'],
        summary: route.summary,
        security: [],
        ...(inPath.length ? { parameters: inPath } : {}),
        responses: { '200': { description: 'OK', content: { [route.contentType]: {} } }, '404': { description: 'No such page' } },
      },
    };
  }
}

const TAGS = [
  ...OPERATIONS.map((op) => ({
    name: op.name,
    description: `${op.family === 'edna' ? 'edna Chat Center' : 'Evo Voice (ServiceStack)'}: ${op.summary}`,
  })),
  { name: 'Metadata', description: 'How the API describes itself: this document, ServiceStack DTOs and metadata pages. Anonymous.' },
];

/** The OpenAPI 3.1 document of every HTTP route of both families, from the contract's zod schemas. */
export function openApiDocument(baseUrl: string, version: string) {
  const paths: Record<string, Record<string, unknown>> = {};
  operationPaths(paths);
  descriptionPaths(paths);
  return {
    openapi: '3.1.0',
    info: {
      title: SERVICE_NAME,
      version,
      description:
        'Send and list messages. Evo Voice routes behave as the ServiceStack service they replace (JSON, DataContract XML, forms, JSONP; errors as ResponseStatus); the edna Chat Center route answers JSON with Spring-style errors. Every operation needs `Authorization: Bearer <key>`.',
    },
    servers: [{ url: baseUrl }],
    tags: TAGS,
    paths,
    components: {
      schemas: contractSchemas(),
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          description: 'An Evo Voice API key (role User) or an edna token (INTEGRATOR, OPERATOR, SUPERVISOR)',
        },
      },
      parameters: {
        IdempotencyKey: {
          name: 'Idempotency-Key',
          in: 'header',
          required: false,
          description:
            'Repeat a request with the same key to get the first answer back instead of a second send (1 to 255 visible ASCII characters)',
          schema: { type: 'string', minLength: 1, maxLength: 255, pattern: '^[\\x21-\\x7e]+$' },
          example: 'order-1234-confirmation',
        },
      },
    },
  };
}
