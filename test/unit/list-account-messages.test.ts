import { ulid } from 'ulid';
import { describe, expect, it } from 'vitest';
import {
  COUNT_CAP,
  listAccountMessages,
  MAX_ITEMS_READ,
  MAX_SCAN_IDS,
  ReadLimitExceeded,
  type ListMessagesDeps,
  type MessageScope,
  type PageBoundary,
} from '../../lib/domain/list-messages-query.js';
import { ALL_CAP, DEFAULT_COUNT_PER_PAGE, parseListMessages } from '../../lib/domain/list-messages-request.js';
import type { StoredMessage } from '../../lib/domain/message-info.js';
import type { Session } from '../../lib/domain/session.js';
import { messageIndexKeys, messageShard, MESSAGE_INDEX_SHARDS } from '../../lib/store/keys.js';
import { lowestIdAfter, partitionQuery, partitionsOf } from '../../lib/store/message-index.js';
import { genericContractName } from '../../lib/wire/servicestack/contracts.js';
import { readListMessages } from '../../lib/wire/servicestack/list-messages.js';
import type { HttpRequest } from '../../lib/wire/http.js';

const principal = { accountId: 'acct_1', roles: ['User' as const] };

/** n messages of acct_1, one a second, over two endpoints (two customers) and three sessions; ids sort like dates. */
function messages(n: number, accountId = 'acct_1'): StoredMessage[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `01J${String(i).padStart(23, '0')}`,
    sessionId: `ses_${i % 3}`,
    accountId,
    customerId: `cus_${i % 2}`,
    endpointId: `ep_${i % 2}`,
    endpointDisplayName: 'Line',
    date: new Date(Date.UTC(2026, 10, 1) + i * 1000).toISOString(),
    direction: i % 4 === 0 ? 'Incoming' : 'Outgoing',
    otherAddress: '+15556667777',
    sender: '+15550001111',
    text: `m${i}`,
    isUnread: false,
  }));
}

/** An in-memory MessageIndex that also counts what it hands out (the cost of a read). */
function fakeDeps(all: StoredMessage[], sessions: Session[] = [], boundaries?: ListMessagesDeps['boundaries']) {
  const read = { messages: 0 };
  const inScope = (m: StoredMessage, s: MessageScope) =>
    s.kind === 'session'
      ? m.sessionId === s.sessionId
      : m.accountId === s.accountId &&
        (s.kind === 'account' || (s.kind === 'endpoint' ? m.endpointId === s.endpointId : m.customerId === s.customerId));
  const deps: ListMessagesDeps = {
    index: {
      async *scan(scopes, range) {
        const found = all.filter((m) => scopes.some((s) => inScope(m, s))).sort((a, b) => a.id.localeCompare(b.id));
        const ordered = range.descending ? found.reverse() : found;
        const after = range.startAfter === undefined ? 0 : ordered.findIndex((m) => m.id === range.startAfter) + 1;
        for (const m of ordered.slice(after)) {
          read.messages++;
          yield m;
        }
      },
      byIds: async (accountId, ids) => all.filter((m) => m.accountId === accountId && ids.includes(m.id)),
    },
    sessions: { getSession: async (id) => sessions.find((s) => s.sessionId === id) },
    ...(boundaries ? { boundaries } : {}),
  };
  return { deps, read };
}

const list = (all: StoredMessage[], input: object, sessions: Session[] = []) =>
  listAccountMessages(fakeDeps(all, sessions).deps, principal, parseListMessages(input));
const texts = (r: { items: { text: string }[] }) => r.items.map((m) => m.text);

describe('parseListMessages', () => {
  it('defaults to page 0 of 25, newest first, with counts', () => {
    expect(parseListMessages({})).toEqual({
      page: 0,
      countPerPage: DEFAULT_COUNT_PER_PAGE,
      all: false,
      descending: true,
      simplifiedPaging: false,
    });
    expect(parseListMessages({ sortOrder: 'ascend', sortField: 'date', endpointIds: [] })).toMatchObject({ descending: false });
    expect(parseListMessages({ endpointIds: [] })).not.toHaveProperty('endpointIds');
    expect(parseListMessages({ afterDate: '2026-11-25' }).afterDate).toEqual(new Date('2026-11-25T00:00:00Z'));
    expect(parseListMessages({ afterDate: '2026-11-25T01:00:00.123+01:00' }).afterDate).toEqual(new Date('2026-11-25T00:00:00.123Z'));
  });

  it.each(
    [
      [{ countPerPage: 0 }, 'countPerPage'],
      [{ countPerPage: 101 }, 'countPerPage'],
      [{ countPerPage: '5' }, 'countPerPage'],
      [{ page: -1 }, 'page'],
      [{ page: 400, countPerPage: 25 }, 'page'],
      [{ afterDate: 'soon' }, 'afterDate'],
      [{ afterDate: '2026-11-25T10:00:00' }, 'afterDate'],
      [{ sortField: 'Text' }, 'sortField'],
      [{ sortOrder: 'Up' }, 'sortOrder'],
      [{ all: 'yes' }, 'all'],
      [{ endpointIds: Array.from({ length: 51 }, (_, i) => `ep_${i}`) }, 'endpointIds'],
      [{ specificIds: ['ok', 'not#ok'] }, 'specificIds[1]'],
      [{ accountIds: 'acct_1' }, 'accountIds'],
    ].map(([input, field]) => [field, input] as [string, object]),
  )('refuses a bad %s (case %#)', (field, input) => {
    expect(() => parseListMessages(input)).toThrow(
      expect.objectContaining({ code: 'invalid', fields: [expect.objectContaining({ field })] }),
    );
  });
});

describe('readListMessages (ServiceStack binding)', () => {
  const request = (query: Record<string, string>, body = '', contentType = ''): HttpRequest => ({
    method: body ? 'POST' : 'GET',
    path: '/json/reply/ListMessages',
    headers: contentType ? { 'content-type': contentType } : {},
    query,
    pathParameters: {},
    body,
  });
  const expected = { endpointIds: ['a', 'b'], page: 2, all: true, sortOrder: 'Descend' };

  it('binds the same request from a query (CSV or JSV lists), JSON, a form and XML', () => {
    expect(readListMessages(request({ EndpointIds: 'a,b', page: '2', ALL: 'True', sortOrder: 'Descend' }))).toEqual(expected);
    expect(readListMessages(request({ endpointIds: '[a, b]', page: '2', all: 'true', sortOrder: 'Descend' }))).toEqual(expected);
    expect(
      readListMessages(
        request({}, JSON.stringify({ EndpointIds: ['a', 'b'], Page: 2, All: true, SortOrder: 'Descend' }), 'application/json'),
      ),
    ).toEqual(expected);
    expect(
      readListMessages(request({}, 'endpointIds=a%2Cb&page=2&all=true&sortOrder=Descend', 'application/x-www-form-urlencoded')),
    ).toEqual(expected);
    const xml =
      '<ListMessages xmlns="http://schemas.datacontract.org/2004/07/Voice.Api"><All>true</All><EndpointIds xmlns:d2p1="http://schemas.microsoft.com/2003/10/Serialization/Arrays"><d2p1:string>a</d2p1:string><d2p1:string>b</d2p1:string></EndpointIds><Page>2</Page><SortOrder>Descend</SortOrder></ListMessages>';
    expect(readListMessages(request({}, xml, 'application/xml'))).toEqual(expected);
  });

  it('leaves what is not of the property type for validation to refuse, and ignores unknown and empty names', () => {
    expect(readListMessages(request({ page: '1.5', all: '1', body: 'hello', toAddress: '+1', customerIds: '' }))).toEqual({
      page: '1.5',
      all: '1',
    });
  });
});

describe('listAccountMessages', () => {
  it('pages from 0, newest first, with exact totals below the count cap', async () => {
    const all = messages(7);
    const first = await list(all, { countPerPage: 3 });
    expect(first).toMatchObject({ totalCount: 7, totalPages: 3, hasMorePages: true });
    expect(texts(first)).toEqual(['m6', 'm5', 'm4']);
    expect(texts(await list(all, { countPerPage: 3, page: 2 }))).toEqual(['m0']);
    expect(await list(all, { countPerPage: 3, page: 3 })).toMatchObject({ items: [], totalCount: 7, hasMorePages: false });
    expect(texts(await list(all, { countPerPage: 3, sortOrder: 'Ascend' }))).toEqual(['m0', 'm1', 'm2']);
  });

  it('counts up to the cap only, and tells more pages exist beyond it', async () => {
    const { deps, read } = fakeDeps(messages(COUNT_CAP + 50));
    const page = await listAccountMessages(deps, principal, parseListMessages({ countPerPage: 10 }));
    expect(page.totalCount).toBe(COUNT_CAP);
    expect(page.hasMorePages).toBe(true);
    expect(read.messages).toBe(COUNT_CAP);
  });

  it('SimplifiedPaging reads only one message past the page', async () => {
    const { deps, read } = fakeDeps(messages(100));
    const page = await listAccountMessages(deps, principal, parseListMessages({ countPerPage: 10, page: 2, simplifiedPaging: true }));
    expect(page).toMatchObject({ totalCount: 0, totalPages: 0, hasMorePages: true });
    expect(texts(page)[0]).toBe('m79');
    expect(read.messages).toBe(31);
  });

  it(`All returns up to ${ALL_CAP} messages in one page`, async () => {
    const page = await list(messages(ALL_CAP + 2), { all: true, countPerPage: 5, page: 9 });
    expect(page.items).toHaveLength(ALL_CAP);
    expect(page).toMatchObject({ totalCount: ALL_CAP + 1, totalPages: 1, hasMorePages: true });
  });

  it('ANDs filters and ORs the values of a list; lists every direction', async () => {
    const all = messages(12);
    expect(texts(await list(all, { endpointIds: ['ep_0'], conversationIds: ['ses_0', 'ses_1'] }, sessionsOf('acct_1')))).toEqual([
      'm10',
      'm6',
      'm4',
      'm0',
    ]);
    expect(texts(await list(all, { customerIds: ['cus_1'], afterDate: all[6]!.date }))).toEqual(['m11', 'm9', 'm7']);
    expect(texts(await list(all, { specificIds: ['nope', all[3]!.id, all[8]!.id] }))).toEqual(['m8', 'm3']);
    expect(new Set((await list(all, {})).items.map((m) => m.direction))).toEqual(new Set(['Incoming', 'Outgoing']));
  });

  it('gives nothing for other accounts: AccountIds, sessions, and messages the index returned by mistake', async () => {
    const all = [...messages(4), ...messages(4, 'acct_2').map((m) => ({ ...m, id: `${m.id}X` }))];
    expect(await list(all, { accountIds: ['acct_2'] })).toEqual({ items: [], totalCount: 0, totalPages: 0, hasMorePages: false });
    expect((await list(all, { accountIds: ['acct_2', 'acct_1'] })).totalCount).toBe(4);
    expect((await list(all, { conversationIds: ['ses_0'] }, sessionsOf('acct_2'))).items).toEqual([]);
    expect((await list(all, { conversationIds: ['ses_0'] }, sessionsOf('acct_1'))).totalCount).toBe(2);
  });
});

describe('page boundaries', () => {
  const memory = () => {
    const map = new Map<string, PageBoundary>();
    return { get: (k: string) => map.get(k), set: (k: string, b: PageBoundary) => void map.set(k, b) };
  };
  const page = (deps: ListMessagesDeps, input: object) =>
    listAccountMessages(deps, principal, parseListMessages({ simplifiedPaging: true, countPerPage: 10, ...input }));

  it('reads about one page per page when paging through in order, whichever the sort order', async () => {
    for (const sortOrder of ['Descend', 'Ascend']) {
      const all = messages(100);
      const { deps, read } = fakeDeps(all, [], memory());
      const seen: string[] = [];
      for (let n = 0; n < 10; n++) {
        const before = read.messages;
        seen.push(...texts(await page(deps, { page: n, sortOrder })));
        // The page, one past it, and (newest first) a peek at the head to prove nothing newer arrived.
        expect(read.messages - before).toBeLessThanOrEqual(12);
      }
      expect(seen).toEqual((sortOrder === 'Ascend' ? all : [...all].reverse()).map((m) => m.text));
    }
  });

  it('falls back to counting from the start when a newer message arrived, so pages stay offsets', async () => {
    const all = messages(30);
    const { deps } = fakeDeps(all, [], memory());
    await page(deps, { page: 0 });
    all.push({ ...all[29]!, id: `01J${'9'.repeat(23)}`, text: 'newest' });
    expect(texts(await page(deps, { page: 1 }))).toEqual(['m20', 'm19', 'm18', 'm17', 'm16', 'm15', 'm14', 'm13', 'm12', 'm11']);
  });

  it('keeps boundaries per account and query', async () => {
    const boundaries = memory();
    const { deps } = fakeDeps([...messages(30), ...messages(30, 'acct_2').map((m) => ({ ...m, id: `${m.id}X` }))], [], boundaries);
    await page(deps, { page: 0, endpointIds: ['ep_0'] });
    const other = await listAccountMessages(
      deps,
      { accountId: 'acct_2', roles: ['User'] },
      parseListMessages({ simplifiedPaging: true, countPerPage: 10, page: 1, endpointIds: ['ep_0'] }),
    );
    expect(other.items.every((m) => m.accountId === 'acct_2')).toBe(true);
    expect(texts(await page(deps, { page: 1, endpointIds: ['ep_0'] }))).toEqual(['m8', 'm6', 'm4', 'm2', 'm0']);
  });
});

function sessionsOf(accountId: string): Session[] {
  return [0, 1, 2].map((n) => ({
    sessionId: `ses_${n}`,
    accountId,
    endpointId: `ep_${n % 2}`,
    customerId: `cus_${n % 2}`,
    endpointDisplayName: 'Line',
    sender: '+1',
    otherAddress: '+2',
  }));
}

describe('message index keys', () => {
  it('puts the account in every partition and spreads by a stable shard of the id', () => {
    const message = { id: '01KW3Q4ZJ2B9T8F0S6M1C5H7RD', accountId: 'acct_1', endpointId: 'ep_1', customerId: 'cus_1' };
    const shard = messageShard(message.id);
    expect(shard).toBeGreaterThanOrEqual(0);
    expect(shard).toBeLessThan(MESSAGE_INDEX_SHARDS);
    expect(messageIndexKeys(message)).toEqual({
      gsiAccount: `MESSAGES#acct_1#${shard}`,
      gsiEndpoint: `MESSAGES#acct_1#ep_1#${shard}`,
      gsiCustomer: `MESSAGES#acct_1#cus_1#${shard}`,
    });
    expect(messageShard(message.id)).toBe(shard);
  });

  it('reads every shard of a scope, or the session partition, between id bounds', () => {
    expect(partitionsOf({ kind: 'endpoint', accountId: 'a', endpointId: 'e' }).map((p) => p.partitionValue)).toEqual([
      'MESSAGES#a#e#0',
      'MESSAGES#a#e#1',
      'MESSAGES#a#e#2',
      'MESSAGES#a#e#3',
    ]);
    const [session] = partitionsOf({ kind: 'session', sessionId: 's' });
    const table = { name: 't', client: undefined as never };
    const query = partitionQuery(table, session!, { descending: true, after: new Date('2026-11-25T00:00:01Z') }, 10);
    expect(query).toMatchObject({
      TableName: 't',
      ScanIndexForward: false,
      Limit: 10,
      ExpressionAttributeValues: {
        ':pk': 'SESSION#s',
        ':low': `MESSAGE#${lowestIdAfter(new Date('2026-11-25T00:00:01Z'))}`,
        ':high': 'MESSAGE#~',
      },
    });
    expect(query).not.toHaveProperty('IndexName');
    const after = new Date('2026-11-25T00:00:01Z');
    expect(ulid(after.getTime() + 1) > lowestIdAfter(after)).toBe(true);
    expect(ulid(after.getTime() - 1001) < lowestIdAfter(after)).toBe(true);
  });
});

describe('DataContract names of generic types', () => {
  it('computes the digest as .NET does (the examples of "Data Contract Names")', () => {
    const drawing = (brushNs: string) =>
      genericContractName('Drawing', [
        { name: 'Square', namespace: 'urn:shapes' },
        { name: 'RedBrush', namespace: brushNs },
      ]);
    expect(drawing('urn:default')).toBe('DrawingOfSquareRedBrush5HWGAU6h');
    expect(drawing('urn:special')).toBe('DrawingOfSquareRedBrushjpB5LgQ_S');
    expect(
      genericContractName('ListResponse', [
        { name: 'MessageInfo', namespace: 'http://schemas.datacontract.org/2004/07/Voice.Api.Messaging' },
      ]),
    ).toBe('ListResponseOfMessageInfoCeNIv4MU');
  });
});

describe('bounds (review M7)', () => {
  it(`refuses more than ${MAX_SCAN_IDS} endpoints, customers or conversations when they choose what is read, reading nothing`, async () => {
    const ids = Array.from({ length: MAX_SCAN_IDS + 1 }, (_, i) => `ep_${i}`);
    const { deps, read } = fakeDeps(messages(5));
    for (const field of ['endpointIds', 'customerIds', 'conversationIds'])
      await expect(listAccountMessages(deps, principal, parseListMessages({ [field]: ids }))).rejects.toMatchObject({
        code: 'invalid',
        fields: [expect.objectContaining({ field, code: 'LessThanOrEqual' })],
      });
    expect(read.messages).toBe(0);
    // As a filter checked on each message (SpecificIds choose the read), as many as MAX_IDS.
    await expect(list(messages(5), { specificIds: ['x'], endpointIds: ids })).resolves.toMatchObject({ items: [] });
  });

  it(`passes the read limit (${MAX_ITEMS_READ}) to the store; past it, a page not yet found is a 400 naming the field to narrow`, async () => {
    const all = messages(30);
    const limited = (maxRead: number): ListMessagesDeps => {
      const { deps } = fakeDeps(all);
      return {
        ...deps,
        index: {
          ...deps.index,
          async *scan(scopes, range) {
            expect(range.maxRead).toBe(MAX_ITEMS_READ);
            let n = 0;
            for await (const m of deps.index.scan(scopes, range)) {
              if (++n > maxRead) throw new ReadLimitExceeded();
              yield m;
            }
          },
        },
      };
    };
    const deep = parseListMessages({ page: 2, countPerPage: 10, endpointIds: ['ep_0'] });
    await expect(listAccountMessages(limited(12), principal, deep)).rejects.toMatchObject({
      fields: [expect.objectContaining({ field: 'page', code: 'ReadLimitExceeded' })],
    });
    const selective = parseListMessages({ endpointIds: ['ep_0'], customerIds: ['cus_1'] });
    await expect(listAccountMessages(limited(12), principal, selective)).rejects.toMatchObject({
      fields: [expect.objectContaining({ field: 'endpointIds' })],
    });
    // The page found, only the count stops short (a lower bound, as at COUNT_CAP).
    const first = await listAccountMessages(limited(12), principal, parseListMessages({ countPerPage: 5 }));
    expect(first).toMatchObject({ totalCount: 12, hasMorePages: true });
    expect(first.items).toHaveLength(5);
  });
});
