import type { Principal } from './auth.js';
import { invalidField } from './errors.js';
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
  /** Start after this message id (exclusive), in the range's order. */
  startAfter?: string;
  /** Most items the store may read for the scan; past it the scan throws ReadLimitExceeded. */
  maxRead: number;
}

/** Thrown by a scan that would read more than its `maxRead`. */
export class ReadLimitExceeded extends Error {
  override readonly name = 'ReadLimitExceeded';
}

/**
 * The bounds of one request (review M7): at most MAX_SCAN_IDS endpoints, customers or conversations
 * when they choose where to read (MAX_SCAN_IDS x 4 index partitions), and at most MAX_ITEMS_READ
 * items read from them, checked filters and the count included. A request needing more is refused
 * (400 naming the field to narrow); counting stops there, like at COUNT_CAP.
 */
export const MAX_SCAN_IDS = 10;
export const MAX_ITEMS_READ = 5000;

/** What ListMessages reads. lib/store/message-index.ts implements it on the table's indexes. */
export interface MessageIndex {
  /** The messages of every scope, merged in id (= date) order, read lazily. */
  scan(scopes: MessageScope[], range: MessageRange): AsyncIterable<StoredMessage>;
  /** The account's messages with these ids (missing and other accounts' ids give nothing). */
  byIds(accountId: string, ids: string[]): Promise<StoredMessage[]>;
}

/**
 * Where a page began: the id of the last message before it, and the newest matching message when that
 * was recorded. With no newer message since, the offset of every message is unchanged, so the page
 * can be read from there instead of reading every page before it.
 */
export interface PageBoundary {
  afterId: string;
  headId: string | undefined;
}

export interface ListMessagesDeps {
  index: MessageIndex;
  /** Page boundaries seen recently (per container: a miss only costs the reads it saves). */
  boundaries?: { get(key: string): PageBoundary | undefined; set(key: string, boundary: PageBoundary): void };
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
export async function listAccountMessages(
  deps: ListMessagesDeps,
  principal: Principal,
  request: ListMessagesRequest,
): Promise<MessageListResponse> {
  const { accountId } = principal;
  if (request.accountIds && !request.accountIds.includes(accountId)) return EMPTY;
  const start = request.all ? 0 : request.page * request.countPerPage;
  const end = request.all ? ALL_CAP : start + request.countPerPage;
  // One past the page tells whether more pages exist; counting reads further, up to the cap.
  const readTo = request.simplifiedPaging ? end + 1 : Math.max(COUNT_CAP, end + 1);
  const matches = (message: StoredMessage) => message.accountId === accountId && matchesFilters(request, message);
  const read = (hint: number, startAfter?: string) => source(deps, accountId, request, hint, startAfter);

  const memory =
    deps.boundaries && !request.all && !request.specificIds
      ? { boundaries: deps.boundaries, key: boundaryKey(accountId, request) }
      : undefined;
  const boundary =
    memory && request.page > 0
      ? await stillValid(memory.boundaries.get(`${memory.key}|${request.page}`), request, read, matches)
      : undefined;

  const items: MessageInfo[] = [];
  let seen = boundary ? start : 0;
  let head = boundary?.headId;
  let last: string | undefined;
  try {
    for await (const message of await read(readTo - seen, boundary?.afterId)) {
      if (!matches(message)) continue;
      if (seen === 0) head = message.id;
      if (seen >= start && seen < end) items.push(toMessageInfo(message));
      if (seen === end - 1) last = message.id;
      if (++seen >= readTo) break;
    }
  } catch (error) {
    // Past the read limit with the page (and the one after it) found, only the count stops short.
    if (!(error instanceof ReadLimitExceeded) || seen <= end) throw error instanceof ReadLimitExceeded ? tooWide(request) : error;
  }
  const hasMorePages = seen > end;
  if (memory && last && hasMorePages) memory.boundaries.set(`${memory.key}|${request.page + 1}`, { afterId: last, headId: head });
  if (request.simplifiedPaging) return { items, totalCount: 0, totalPages: 0, hasMorePages };
  const pageSize = request.all ? Math.max(seen, 1) : request.countPerPage;
  return { items, totalCount: seen, totalPages: Math.ceil(seen / pageSize), hasMorePages };
}

/** The field to narrow: the page when it is deep, else the filter that chose where to read. */
function tooWide(request: ListMessagesRequest) {
  const field = request.page > 0 ? 'page' : (drivingList(request)?.[0] ?? 'afterDate');
  return invalidField(
    field,
    'ReadLimitExceeded',
    `'${field}': this request would read more than ${MAX_ITEMS_READ} messages; narrow it with AfterDate, fewer or more selective filters, or SimplifiedPaging.`,
  );
}

/** The id list that chooses where a request reads (SpecificIds are read by key, and never many). */
function drivingList(request: ListMessagesRequest): [string, string[]] | undefined {
  if (request.specificIds) return undefined;
  if (request.conversationIds) return ['conversationIds', request.conversationIds];
  if (request.endpointIds) return ['endpointIds', request.endpointIds];
  if (request.customerIds) return ['customerIds', request.customerIds];
  return undefined;
}

/** One key per account and query, whatever the page; list order does not matter. */
function boundaryKey(accountId: string, request: ListMessagesRequest): string {
  const sorted = (list: string[] | undefined) => (list ? [...new Set(list)].sort() : null);
  const { customerIds, endpointIds, conversationIds, afterDate, descending, countPerPage } = request;
  return JSON.stringify([
    accountId,
    sorted(customerIds),
    sorted(endpointIds),
    sorted(conversationIds),
    afterDate?.toISOString() ?? null,
    descending,
    countPerPage,
  ]);
}

/**
 * A boundary holds while no newer message matches: in ascending order new messages come last and
 * move nothing; newest first, the head must be unchanged (one small read, far less than the pages
 * before). Otherwise the page is found by counting from the start, as without a boundary.
 */
async function stillValid(
  boundary: PageBoundary | undefined,
  request: ListMessagesRequest,
  read: (hint: number) => Promise<AsyncIterable<StoredMessage> | Iterable<StoredMessage>>,
  matches: (message: StoredMessage) => boolean,
): Promise<PageBoundary | undefined> {
  if (!boundary || !request.descending) return boundary;
  for await (const message of await read(1)) if (matches(message)) return message.id === boundary.headId ? boundary : undefined;
  return undefined;
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

async function source(
  deps: ListMessagesDeps,
  accountId: string,
  request: ListMessagesRequest,
  hint: number,
  startAfter?: string,
): Promise<AsyncIterable<StoredMessage> | Iterable<StoredMessage>> {
  const driving = drivingList(request);
  if (driving && unique(driving[1]).length > MAX_SCAN_IDS) {
    const [field] = driving;
    throw invalidField(
      field,
      'LessThanOrEqual',
      `'${field}' may name at most ${MAX_SCAN_IDS} ids when it chooses what is read; split the request.`,
    );
  }
  const range: MessageRange = {
    descending: request.descending,
    hint,
    maxRead: MAX_ITEMS_READ,
    ...(request.afterDate ? { after: request.afterDate } : {}),
    ...(startAfter ? { startAfter } : {}),
  };
  if (request.specificIds) {
    const found = await deps.index.byIds(accountId, unique(request.specificIds));
    return sortById(found, request.descending);
  }
  if (request.conversationIds) {
    const sessions = await Promise.all(unique(request.conversationIds).map((id) => deps.sessions.getSession(id)));
    const own = sessions.filter((s): s is Session => s !== undefined && s.accountId === accountId);
    return deps.index.scan(
      own.map((s) => ({ kind: 'session', sessionId: s.sessionId })),
      range,
    );
  }
  if (request.endpointIds)
    return deps.index.scan(
      unique(request.endpointIds).map((endpointId) => ({ kind: 'endpoint', accountId, endpointId })),
      range,
    );
  if (request.customerIds)
    return deps.index.scan(
      unique(request.customerIds).map((customerId) => ({ kind: 'customer', accountId, customerId })),
      range,
    );
  return deps.index.scan([{ kind: 'account', accountId }], range);
}

const unique = (ids: string[]): string[] => [...new Set(ids)];

function sortById(messages: StoredMessage[], descending: boolean): StoredMessage[] {
  const sorted = [...messages].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return descending ? sorted.reverse() : sorted;
}
