import type { Role } from '../domain/auth.js';
import { EDNA_ROLES } from '../domain/auth.js';

export type Verb = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** The verbs a route of any verb (`*`) answers, as documented; HEAD reaches it too, but never sends. */
export const VERBS: readonly Verb[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

/** One HTTP route exactly as serverless.yml declares it (`*`: any verb). */
export interface HttpRoute {
  method: Verb | '*';
  path: string;
}

/** A route as a ServiceStack service declares it ([Route(path, verbs)]); no verbs means all. */
export interface DeclaredRoute {
  path: string;
  verbs?: Verb;
}

/**
 * An operation of the API, as every description of it (ServiceStack's /types and metadata pages,
 * OpenAPI, /docs) needs it. `request` and `response` name schemas of the contract registry
 * (lib/wire/describe/contract.ts), which holds the handlers' own zod schemas.
 */
export interface Operation {
  name: string;
  family: 'servicestack' | 'edna';
  summary: string;
  /** Any of these roles may call it. */
  roles: readonly Role[];
  request: string;
  response: string;
  /** The verb ServiceStack clients use (getMethod()). */
  method: Verb;
  /** ServiceStack's own routes for it (servicestack family): what /types and /metadata show. */
  declared: DeclaredRoute[];
  /** Every deployed route of it: what OpenAPI documents and serverless.yml must match. */
  routes: HttpRoute[];
  /** Accepts an `Idempotency-Key` header. */
  idempotent: boolean;
}

/** A route and its `.json` and `.xml` twins, which ServiceStack serves for every route. */
const withFormats = (method: HttpRoute['method'], path: string): HttpRoute[] =>
  ['', '.json', '.xml'].map((suffix) => ({ method, path: `${path}${suffix}` }));

/** ServiceStack's pre-defined routes for an operation, any verb. */
const predefined = (name: string): HttpRoute[] =>
  ['/api/', '/json/reply/', '/xml/reply/'].map((prefix) => ({ method: '*', path: `${prefix}${name}` }));

/**
 * Every operation the API serves. Adding one here (with its schemas in the contract registry)
 * describes it everywhere; test/unit/describe-routes.test.ts checks this table against serverless.yml.
 */
export const OPERATIONS: readonly Operation[] = [
  {
    name: 'SendMessage',
    family: 'servicestack',
    summary: 'Send a message',
    roles: ['User'],
    request: 'SendMessage',
    response: 'MessageInfo',
    method: 'POST',
    declared: [{ path: '/sessions/{sessionId}/messages', verbs: 'POST' }, { path: '/messages' }],
    routes: [
      ...withFormats('POST', '/sessions/{sessionId}/messages'),
      ...(['POST', 'PUT', 'PATCH', 'DELETE'] as const).flatMap((verb) => withFormats(verb, '/messages')),
      ...predefined('SendMessage'),
    ],
    idempotent: true,
  },
  {
    name: 'ListSessionMessages',
    family: 'servicestack',
    summary: "List a session's messages",
    roles: ['User'],
    request: 'ListSessionMessages',
    response: 'MessageList',
    method: 'GET',
    declared: [{ path: '/sessions/{sessionId}/messages', verbs: 'GET' }],
    routes: withFormats('GET', '/sessions/{sessionId}/messages'),
    idempotent: false,
  },
  {
    name: 'ListMessages',
    family: 'servicestack',
    summary: 'List messages',
    roles: ['User'],
    request: 'ListMessages',
    response: 'ListResponse',
    method: 'GET',
    declared: [{ path: '/messages', verbs: 'GET' }],
    routes: [...withFormats('GET', '/messages'), ...predefined('ListMessages')],
    idempotent: false,
  },
  {
    name: 'GetMessageStatus',
    family: 'servicestack',
    summary: "A message's delivery status",
    roles: ['User'],
    request: 'GetMessageStatus',
    response: 'MessageStatus',
    method: 'GET',
    declared: [{ path: '/sessions/{sessionId}/messages/{messageId}/status', verbs: 'GET' }],
    routes: [{ method: 'GET', path: '/sessions/{sessionId}/messages/{messageId}/status' }],
    idempotent: false,
  },
  {
    name: 'MarkMessageRead',
    family: 'servicestack',
    summary: 'Mark a message read',
    roles: ['User'],
    request: 'MarkMessageRead',
    response: 'MessageInfo',
    method: 'POST',
    declared: [{ path: '/sessions/{sessionId}/messages/{messageId}/read', verbs: 'POST' }],
    routes: [{ method: 'POST', path: '/sessions/{sessionId}/messages/{messageId}/read' }],
    idempotent: false,
  },
  {
    name: 'OutgoingToDevice',
    family: 'edna',
    summary: 'Send an outgoing message to a device',
    roles: EDNA_ROLES,
    request: 'OutgoingToDevice',
    response: 'OutgoingToDeviceResponse',
    method: 'POST',
    declared: [],
    routes: [{ method: 'POST', path: '/api/v1/messages/outgoing-to-device' }],
    idempotent: true,
  },
];

export const SERVICESTACK_OPERATIONS = OPERATIONS.filter((op) => op.family === 'servicestack');

/** The .NET namespace of each ServiceStack type, as the seeds show them. */
export const SERVICESTACK_NAMESPACES: Record<string, string> = {
  SendMessage: 'Voice.Api.Sessions',
  ListSessionMessages: 'Voice.Api.Sessions',
  MessageInfo: 'Voice.Api.Messaging',
  MessageDirections: 'Voice.Api.Messaging',
  MessageList: 'Voice.Api.Messaging',
  ListMessages: 'Voice.Api',
  ListResponse: 'Voice.Api',
  GetMessageStatus: 'Voice.Api.Messaging',
  MarkMessageRead: 'Voice.Api.Messaging',
  MessageStatus: 'Voice.Api.Messaging',
  StatusChange: 'Voice.Api.Messaging',
  DeliveryStatus: 'Voice.Api.Messaging',
};

/**
 * The simulated carrier's outbox and inbox: not part of the API, for tests and people trying the
 * service, served only on stages that use that carrier and described (tag `dev`) only there.
 */
export const UNDESCRIBED_ROUTES: readonly HttpRoute[] = [
  { method: 'GET', path: '/dev/carrier/outbox' },
  { method: 'POST', path: '/dev/carrier/inbound' },
  // The opt-out list (functions/optouts.ts, docs/consent.md): described in docs/consent.md until its
  // schemas join the contract registry (its evidence's `source` is a union the native types lack).
  { method: 'GET', path: '/optouts' },
  { method: 'POST', path: '/optouts' },
  { method: 'GET', path: '/optouts/{number}' },
  { method: 'DELETE', path: '/optouts/{number}' },
];

/** A route that describes the API (functions `describe` and `docs`): GET, anonymous, as in ServiceStack. */
export interface DescriptionRoute {
  path: string;
  summary: string;
  /** Every media type its 200 can have. */
  contentTypes: readonly string[];
  /** The media type of its 404, where a path parameter or `?op=` can name nothing. */
  notFound?: string;
  /** Its query parameters; `free`: any name (options read by name, each a string). */
  query?: readonly { name: string; description: string; required?: boolean; free?: boolean }[];
}

/** The query of the metadata pages of one operation. */
const OPERATION_PAGE_QUERY = [
  { name: 'op', description: 'The operation, e.g. SendMessage', required: true },
  { name: 'lang', description: 'Also show its DTOs in csharp, typescript, mjs, python, vbnet or js' },
];

export const DESCRIPTION_ROUTES: readonly DescriptionRoute[] = [
  { path: '/types', summary: 'Links to the DTOs of every language', contentTypes: ['application/json'] },
  {
    path: '/types/{lang}',
    summary:
      'DTOs for "Add ServiceStack Reference": csharp, typescript, python, vbnet (text/plain), js, mjs (text/javascript), or metadata (JSON)',
    contentTypes: ['text/plain', 'text/javascript', 'application/json'],
    notFound: 'text/plain',
    query: [
      {
        name: 'options',
        description:
          'DTO options by name, as ServiceStack reads them: IncludeTypes, ExcludeTypes, GlobalNamespace, MakePropertiesOptional, AddServiceStackTypes, ...; WithoutOptions leaves the options header out',
        free: true,
      },
    ],
  },
  { path: '/metadata', summary: 'The operations (HTML)', contentTypes: ['text/html'] },
  {
    path: '/json/metadata',
    summary: 'One operation over JSON: ?op=Name[&lang=typescript] (HTML)',
    contentTypes: ['text/html'],
    notFound: 'text/html',
    query: OPERATION_PAGE_QUERY,
  },
  {
    path: '/xml/metadata',
    summary: 'One operation over XML: ?op=Name[&lang=csharp] (HTML)',
    contentTypes: ['text/html'],
    notFound: 'text/html',
    query: OPERATION_PAGE_QUERY,
  },
  { path: '/openapi.json', summary: 'This document', contentTypes: ['application/json'] },
  { path: '/openapi.yaml', summary: 'This document in YAML', contentTypes: ['application/yaml'] },
  { path: '/docs', summary: 'This document, rendered (HTML)', contentTypes: ['text/html'] },
  {
    path: '/docs/{asset}',
    summary: "The docs page's own scripts and styles",
    contentTypes: ['text/javascript', 'text/css'],
    notFound: 'text/plain',
  },
];
