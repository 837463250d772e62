import { DESCRIPTION_ROUTES, OPERATIONS, VERBS, type HttpRoute, type Operation } from '../operations.js';
import type { DomainErrorCode } from '../../domain/errors.js';
import { errorHeaders, HTTP_STATUS } from '../status.js';
import { DEV_SCHEMAS } from './contract.js';
import { contractSchemas, schemaOf, type JsonSchema } from './schemas.js';
import { SERVICE_NAME } from './html.js';
import { MEDIA, routeFormat, type Format } from '../servicestack/format.js';

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
  'recipient-opted-out': "The recipient opted out of this account's messages (ErrorCode RecipientOptedOut)",
  'too-many-requests': 'Rate limit or daily quota: retry after Retry-After',
  unavailable: 'The store is unavailable: retry after Retry-After',
};

/** The error statuses an operation can answer, with the headers the wire layer adds to each. */
function errorResponses(op: Pick<Operation, 'family' | 'idempotent'>, formats: Format[]) {
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
  const codes = (Object.keys(HTTP_STATUS) as DomainErrorCode[]).filter(
    // Only sends (the idempotent operations) can reuse a key or reach an opted-out recipient.
    (code) => (code !== 'idempotency-key-reused' && code !== 'recipient-opted-out') || op.idempotent,
  );
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
          .map((name) => ({ name, in: 'query', required: required.has(name), schema: property(name), ...listStyle(property(name)) }))
      : [];
  const idempotency = op.idempotent ? [{ $ref: '#/components/parameters/IdempotencyKey' }] : [];
  return [...path, ...query, ...idempotency];
}

/**
 * ServiceStack binds a list from one value, comma-separated (`a,b`) or JSV (`[a,b]`); API Gateway
 * joins a repeated name with commas, so `?ids=a&ids=b` is the same list.
 */
const listStyle = (schema: JsonSchema) =>
  schema.type === 'array'
    ? {
        style: 'form',
        explode: false,
        description: 'A list: comma-separated (`a,b`), also as JSV (`[a,b]`) or with the name repeated (`?x=a&x=b`)',
      }
    : {};

/** How ServiceStack binds names (lib/wire/servicestack/binding.ts): said once, on each operation of that family. */
const BINDING =
  ' Property names match case-insensitively wherever they are read (query, form, JSON body), so the PascalCase of the .NET DTO (`EndpointIds`, `Body`) works as well as the camelCase shown; path parameters win over the body, which wins over the query.';

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
      const verbs = (route.method === '*' ? VERBS : [route.method]).map((verb) => verb.toLowerCase());
      for (const verb of verbs) {
        (paths[route.path] ??= {})[verb] = {
          operationId: operationId(op, verb, route.path),
          tags: [op.name],
          summary: op.summary,
          description: `${schemaOf(op.request).description ?? op.summary}. Requires role ${op.roles.join(' or ')}.${op.family === 'servicestack' ? BINDING : ''}`,
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
    const query = (route.query ?? []).map(({ name, description, required, free }) =>
      free
        ? {
            name,
            in: 'query',
            description,
            schema: { type: 'object', additionalProperties: { type: 'string' } },
            style: 'form',
            explode: true,
          }
        : { name, in: 'query', description, required: required ?? false, schema: { type: 'string' } },
    );
    paths[route.path] = {
      get: {
        operationId: `describe_${route.path.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_|_$/g, '')}`,
        tags: ['Metadata'],
        summary: route.summary,
        security: [],
        ...(inPath.length + query.length ? { parameters: [...inPath, ...query] } : {}),
        responses: {
          '200': { description: 'OK', content: Object.fromEntries(route.contentTypes.map((type) => [type, {}])) },
          ...(route.notFound ? { '404': { description: 'No such page', content: { [route.notFound]: {} } } } : {}),
        },
      },
    };
  }
}

/** The simulated carrier's routes (functions carrier-outbox, carrier-inbound): JSON answers, ServiceStack errors. */
function devPaths(paths: Record<string, Record<string, unknown>>) {
  const json = (schemaId: string) => content(schemaId, ['json']);
  const common = {
    tags: ['dev'],
    security: [{ bearer: [] }],
  };
  const errors = errorResponses({ family: 'servicestack', idempotent: false }, ['json', 'xml']);
  paths['/dev/carrier/outbox'] = {
    get: {
      ...common,
      operationId: 'dev_carrier_outbox',
      summary: "The simulated carrier's outbox",
      description:
        "What the simulated carrier was given for the caller's account, with the calls made for each message. Requires role User.",
      responses: { '200': { description: 'OK', content: json('CarrierOutbox') }, ...errors },
    },
  };
  paths['/dev/carrier/inbound'] = {
    post: {
      ...common,
      operationId: 'dev_carrier_inbound',
      summary: 'The simulated carrier receives a reply',
      description:
        "A reply from `from` to `to`, a number of the caller's account, stored through the same path as an aws-sms two-way message. Requires role User.",
      requestBody: { required: true, content: json('CarrierInbound') },
      responses: {
        '200': { description: 'Stored', content: json('CarrierReceived') },
        '202': { description: 'Dropped: no endpoint of the account owns the number', content: json('CarrierDropped') },
        ...errors,
      },
    },
  };
}

const TAGS = [
  ...OPERATIONS.map((op) => ({
    name: op.name,
    description: `${op.family === 'edna' ? 'edna Chat Center' : 'Evo Voice (ServiceStack)'}: ${op.summary}`,
  })),
  { name: 'Metadata', description: 'How the API describes itself: this document, ServiceStack DTOs and metadata pages. Anonymous.' },
];
const DEV_TAG = {
  name: 'dev',
  description: 'The simulated carrier of this stage (no real messages leave it): not part of the API, for tests and trying the service',
};

export interface DocumentOptions {
  /** The stage serves the simulated carrier's routes (some channel uses it: lib/runtime/channels.ts). */
  simulatedCarrier?: boolean;
}

/**
 * The OpenAPI 3.1 document of every HTTP route of both families, from the contract's zod schemas,
 * and of the simulated carrier's where the stage serves them.
 */
export function openApiDocument(baseUrl: string, version: string, options: DocumentOptions = {}) {
  const paths: Record<string, Record<string, unknown>> = {};
  operationPaths(paths);
  descriptionPaths(paths);
  if (options.simulatedCarrier) devPaths(paths);
  const schemas = Object.fromEntries(
    Object.entries(contractSchemas()).filter(([id]) => options.simulatedCarrier || !DEV_SCHEMAS.includes(id)),
  );
  return {
    openapi: '3.1.0',
    info: {
      title: SERVICE_NAME,
      version,
      description:
        'Send and list messages. Evo Voice routes behave as the ServiceStack service they replace (JSON, DataContract XML, forms, JSONP; errors as ResponseStatus); the edna Chat Center route answers JSON with Spring-style errors. Every operation needs `Authorization: Bearer <key>`.',
    },
    servers: [{ url: baseUrl }],
    tags: options.simulatedCarrier ? [...TAGS, DEV_TAG] : TAGS,
    paths,
    components: {
      schemas,
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
