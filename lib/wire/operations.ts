import type { Role } from '../domain/auth.js';
import { EDNA_ROLES } from '../domain/auth.js';

export type Verb = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

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
 * Routes that are not part of the API and are described nowhere: the simulated carrier's outbox and inbox,
 * served only on stages that use that carrier, for tests and people trying the service.
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
  contentType: string;
}

export const DESCRIPTION_ROUTES: readonly DescriptionRoute[] = [
  { path: '/types', summary: 'Links to the DTOs of every language', contentType: 'application/json' },
  {
    path: '/types/{lang}',
    summary: 'DTOs for "Add ServiceStack Reference": csharp, typescript, mjs, python, vbnet, js, or metadata (JSON)',
    contentType: 'text/plain',
  },
  { path: '/metadata', summary: 'The operations (HTML)', contentType: 'text/html' },
  { path: '/json/metadata', summary: 'One operation over JSON: ?op=Name[&lang=typescript] (HTML)', contentType: 'text/html' },
  { path: '/xml/metadata', summary: 'One operation over XML: ?op=Name[&lang=csharp] (HTML)', contentType: 'text/html' },
  { path: '/openapi.json', summary: 'This document', contentType: 'application/json' },
  { path: '/openapi.yaml', summary: 'This document in YAML', contentType: 'application/yaml' },
  { path: '/docs', summary: 'This document, rendered (HTML)', contentType: 'text/html' },
  { path: '/docs/{asset}', summary: "The docs page's own scripts and styles", contentType: 'text/javascript' },
];
