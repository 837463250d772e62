import { authenticate } from '../../domain/auth.js';
import { listAccountMessages, type ListMessagesDeps } from '../../domain/list-messages-query.js';
import { LIST_MESSAGES_PROPERTIES, parseListMessages } from '../../domain/list-messages-request.js';
import type { CredentialStore } from '../../domain/ports.js';
import { bearerToken, type HttpRequest } from '../http.js';
import { bindDto } from './binding.js';
import { LIST_MESSAGES, LIST_RESPONSE } from './contracts.js';
import { servicestackHandler } from './handler.js';
import { readBody } from './request.js';
import { ok } from './respond.js';

type Kind = 'list' | 'int' | 'bool' | 'text';
type Property = (typeof LIST_MESSAGES_PROPERTIES)[number];

/** The CLR type of each ListMessages property: what ServiceStack converts a query or form string to. */
const KINDS: Record<Property, Kind> = {
  accountIds: 'list',
  customerIds: 'list',
  endpointIds: 'list',
  conversationIds: 'list',
  specificIds: 'list',
  afterDate: 'text',
  page: 'int',
  countPerPage: 'int',
  all: 'bool',
  simplifiedPaging: 'bool',
  sortField: 'text',
  sortOrder: 'text',
};

/**
 * ServiceStack's binding of a string to a List<string>: comma-separated (`a,b`) or JSV (`[a,b]`).
 * A DataContract XML list is `<EndpointIds><d2p1:string>a</d2p1:string>...</EndpointIds>`, which
 * reads as `{ string: 'a' | ['a', ...] }`.
 */
function toList(value: unknown): unknown {
  if (typeof value === 'string') {
    const inner = value.trim().replace(/^\[(.*)\]$/s, '$1');
    return inner
      .split(',')
      .map((part) => part.trim())
      .filter((part) => part !== '');
  }
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const values = Object.entries(value as Record<string, unknown>)
      .filter(([name]) => !name.startsWith('@'))
      .map(([, item]) => item);
    return values.length === 1 ? [values[0]].flat() : value;
  }
  return value;
}

/** Strings become the property's type when they spell one; anything else is left for validation to refuse by name. */
function typed(kind: Kind, value: unknown): unknown {
  if (kind === 'list') return toList(value);
  if (typeof value !== 'string') return value;
  const text = value.trim();
  if (kind === 'int' && /^[+-]?\d{1,15}$/.test(text)) return Number(text);
  if (kind === 'bool' && /^(true|false)$/i.test(text)) return text.toLowerCase() === 'true';
  return value;
}

/** A ListMessages request bound from the query, and a JSON, XML or form body, typed as ServiceStack binds it; empty values count as absent. */
export function readListMessages(request: HttpRequest): Record<string, unknown> {
  const bound = bindDto(LIST_MESSAGES_PROPERTIES, request, readBody(request, LIST_MESSAGES));
  const entries = Object.entries(bound)
    .filter(([, value]) => value !== '')
    .map(([name, value]) => [name, typed(KINDS[name as Property], value)]);
  return Object.fromEntries(entries);
}

/** The Evo Voice ListMessages operation: authenticate (role User), bind, list within the caller's account, answer ListResponse<MessageInfo>. */
export const listMessagesHandler = (deps: ListMessagesDeps & { credentials: CredentialStore }) =>
  servicestackHandler(async (request) => {
    const principal = await authenticate(deps.credentials, bearerToken(request), ['User']);
    const response = await listAccountMessages(deps, principal, parseListMessages(readListMessages(request)));
    return ok(request, response, LIST_RESPONSE);
  });
