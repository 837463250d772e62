import type { Principal } from './auth.js';
import { ALL_CAP, type ListMessagesRequest } from './list-messages-request.js';
import { toMessageInfo, type MessageInfo, type StoredMessage } from './message-info.js';
import type { Session } from './session.js';

/** Where messages are read from: one of the indexes, or a session's own partition. */
export type MessageScope =
  | { kind: 'account'; accountId: string }
  | { kind: 'endpoint'; accountId: string; endpointId: string }
  | { kind: 'customer'; accountId: string; customerId: string }
  | { kind: 'session'; sessionId: string };

export interface MessageRange {
  descending: boolean;
  /** Only messages dated after this instant are wanted; the store may return a few earlier ones. */
  after?: Date;
  /** Expected number of messages the caller will consume: the store sizes its reads by it. */
  hint: number;
}

/** What ListMessages reads. lib/store/message-index.ts implements it on the table's indexes. */
export interface MessageIndex {
  /** The messages of every scope, merged in id (= date) order, read lazily. */
  scan(scopes: MessageScope[], range: MessageRange): AsyncIterable<StoredMessage>;
  /** The account's messages with these ids (missing and other accounts' ids give nothing). */
  byIds(accountId: string, ids: string[]): Promise<StoredMessage[]>;
}

export interface ListMessagesDeps {
  index: MessageIndex;
  /** Uncached: a session of another account must cost exactly what a missing one costs. */
  sessions: { getSession(sessionId: string): Promise<Session | undefined> };
}

/** ServiceStack's ListResponse<MessageInfo>. */
export interface MessageListResponse {
  items: MessageInfo[];
  totalCount: number;
  totalPages: number;
  hasMorePages: boolean;
}

/**
 * Counting reads the matches (DynamoDB has no cheaper count): it stops after this many, or one past
 * the requested page when that is deeper. Below it totalCount is exact.
 */
export const COUNT_CAP = 1000;

const EMPTY: MessageListResponse = { items: [], totalCount: 0, totalPages: 0, hasMorePages: false };

/**
 * ListMessages: filters combine with AND, the values of one list with OR. The narrowest filter
 * given chooses where to read (ids, sessions, endpoints, customers, else the whole account); the
 * others are checked on each message. Everything is read within the caller's account.
 */
export async function listAccountMessages(deps: ListMessagesDeps, principal: Principal, request: ListMessagesRequest): Promise<MessageListResponse> {
  const { accountId } = principal;
  if (request.accountIds && !request.accountIds.includes(accountId)) return EMPTY;
  const start = request.all ? 0 : request.page * request.countPerPage;
  const end = request.all ? ALL_CAP : start + request.countPerPage;
  // One past the page tells whether more pages exist; counting reads further, up to the cap.
  const readTo = request.simplifiedPaging ? end + 1 : Math.max(COUNT_CAP, end + 1);
  const matches = (message: StoredMessage) => message.accountId === accountId && matchesFilters(request, message);
  const messages = await source(deps, accountId, request, readTo);

  const items: MessageInfo[] = [];
  let seen = 0;
  for await (const message of messages) {
    if (!matches(message)) continue;
    if (seen >= start && seen < end) items.push(toMessageInfo(message));
    if (++seen >= readTo) break;
  }
  const hasMorePages = seen > end;
  if (request.simplifiedPaging) return { items, totalCount: 0, totalPages: 0, hasMorePages };
  const pageSize = request.all ? Math.max(seen, 1) : request.countPerPage;
  return { items, totalCount: seen, totalPages: Math.ceil(seen / pageSize), hasMorePages };
}

function matchesFilters(request: ListMessagesRequest, message: StoredMessage): boolean {
  const within = (list: string[] | undefined, value: string) => list === undefined || list.includes(value);
  return (
    within(request.specificIds, message.id) &&
    within(request.conversationIds, message.sessionId) &&
    within(request.endpointIds, message.endpointId) &&
    within(request.customerIds, message.customerId) &&
    (request.afterDate === undefined || Date.parse(message.date) > request.afterDate.getTime())
  );
}

async function source(deps: ListMessagesDeps, accountId: string, request: ListMessagesRequest, hint: number): Promise<AsyncIterable<StoredMessage> | Iterable<StoredMessage>> {
  const range: MessageRange = { descending: request.descending, hint, ...(request.afterDate ? { after: request.afterDate } : {}) };
  if (request.specificIds) {
    const found = await deps.index.byIds(accountId, unique(request.specificIds));
    return sortById(found, request.descending);
  }
  if (request.conversationIds) {
    const sessions = await Promise.all(unique(request.conversationIds).map((id) => deps.sessions.getSession(id)));
    const own = sessions.filter((s): s is Session => s !== undefined && s.accountId === accountId);
    return deps.index.scan(own.map((s) => ({ kind: 'session', sessionId: s.sessionId })), range);
  }
  if (request.endpointIds) return deps.index.scan(unique(request.endpointIds).map((endpointId) => ({ kind: 'endpoint', accountId, endpointId })), range);
  if (request.customerIds) return deps.index.scan(unique(request.customerIds).map((customerId) => ({ kind: 'customer', accountId, customerId })), range);
  return deps.index.scan([{ kind: 'account', accountId }], range);
}

const unique = (ids: string[]): string[] => [...new Set(ids)];

function sortById(messages: StoredMessage[], descending: boolean): StoredMessage[] {
  const sorted = [...messages].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return descending ? sorted.reverse() : sorted;
}
