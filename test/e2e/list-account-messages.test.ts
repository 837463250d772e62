import { JsonServiceClient } from '@servicestack/client';
import { XMLParser } from 'fast-xml-parser';
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { hashSecret } from '../../lib/domain/auth.js';
import { putAccount } from '../../lib/store/accounts.js';
import { putCredential } from '../../lib/store/credentials.js';
import { putEndpoint } from '../../lib/store/endpoints.js';
import { allItems, api, expectNothingStored, OTHER_KEY, ports, storedWithText, table } from '../support/stack.js';
import { setLimits } from '../../lib/store/account-limits.js';

/** The DTOs as "Add ServiceStack Reference" generates them (ListRequest<T> implements IGet, so getMethod() is GET). */
class MessageInfo {
  id?: string;
  text?: string;
  constructor(init?: Partial<MessageInfo>) {
    Object.assign(this, init);
  }
}
class ListResponse<T> {
  items?: T[];
  totalCount?: number;
  totalPages?: number;
  hasMorePages?: boolean;
  constructor(init?: Partial<ListResponse<T>>) {
    Object.assign(this, init);
  }
}
type SortOrders = 'Ascend' | 'Descend';
class ListMessages {
  accountIds?: string[];
  customerIds?: string[];
  endpointIds?: string[];
  conversationIds?: string[];
  afterDate?: string;
  page?: number;
  all?: boolean;
  countPerPage?: number;
  specificIds?: string[];
  sortField?: string;
  sortOrder?: SortOrders;
  simplifiedPaging?: boolean;
  constructor(init?: Partial<ListMessages>) {
    Object.assign(this, init);
  }
  getTypeName() {
    return 'ListMessages';
  }
  getMethod() {
    return 'GET';
  }
  createResponse() {
    return new ListResponse<MessageInfo>();
  }
}

/** A fresh account of its own, so that every count below is exact: two customers, three endpoints. */
const run = randomUUID().slice(0, 8);
const account = `acct_list_${run}`;
const key = `list-key-${run}`;
const endpoints = [
  { endpointId: `ep_a1_${run}`, customerId: `cus_a_${run}`, address: '+15550003001' },
  { endpointId: `ep_a2_${run}`, customerId: `cus_a_${run}`, address: '+15550003002' },
  { endpointId: `ep_b1_${run}`, customerId: `cus_b_${run}`, address: '+15550003003' },
].map((e, n) => ({ ...e, accountId: account, displayName: `List line ${n}` }));
const peers = ['+15557770001', '+15557770002'];

interface Sent {
  id: string;
  text: string;
  endpointId: string;
  customerId: string;
  date: string;
  otherAddress: string;
}
const sent: Sent[] = []; // oldest first
const sessionOf = new Map<string, string>(); // message id -> session id
const list = (query = '', init: Parameters<typeof api>[1] = {}) => api(`/messages${query ? `?${query}` : ''}`, { key, ...init });
const ids = (json: { items: { id: string }[] }) => json.items.map((m) => m.id);
const newest = () => sent.map((m) => m.id).reverse();

beforeAll(async () => {
  await putAccount(table, { accountId: account, name: account });
  for (const endpoint of endpoints) await putEndpoint(table, endpoint);
  // The endpoints are put directly, not through the CLI's listing: the account's countries are named.
  await setLimits(table, account, { countries: ['US'] });
  await putCredential(table, hashSecret(key), { accountId: account, roles: ['User'] });
  // 9 messages: endpoint n % 3, peer n % 2.
  for (let n = 0; n < 9; n++) {
    const endpoint = endpoints[n % 3]!;
    const res = await api('/messages', {
      key,
      body: { endpointId: endpoint.endpointId, toAddress: peers[n % 2], body: `list ${run} #${n}` },
    });
    expect(res.status).toBe(200);
    sent.push(res.json);
  }
  for (const item of await allItems())
    if (item.type === 'Message' && item.accountId === account) sessionOf.set(String(item.id), String(item.sessionId));
}, 60_000);

describe('GET /messages is ListMessages', () => {
  it("answers the account's messages newest first as a ListResponse<MessageInfo>", async () => {
    const res = await list();
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.json).toMatchObject({ totalCount: 9, totalPages: 1, hasMorePages: false });
    expect(ids(res.json)).toEqual(newest());
    expect(Object.keys(res.json.items[0]).sort()).toEqual(
      [
        'id',
        'accountId',
        'customerId',
        'endpointId',
        'endpointDisplayName',
        'date',
        'direction',
        'otherAddress',
        'sender',
        'text',
        'isUnread',
      ].sort(),
    );
  });

  it('keeps POST, PUT, PATCH and DELETE of /messages as SendMessage', async () => {
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
      const text = `verb ${method} ${randomUUID()}`;
      const res = await api(`/messages.json?sessionId=ses_demo&body=${encodeURIComponent(text)}`, { method });
      expect(res.status, method).toBe(200);
      expect(res.json.text).toBe(text);
      expect(await storedWithText(text)).toHaveLength(1);
    }
  });

  it('stores nothing for a GET with a SendMessage-shaped query string: it lists', async () => {
    const text = `not sent ${randomUUID()}`;
    const res = await expectNothingStored(() =>
      api(`/messages?endpointId=ep_demo&toAddress=%2B15556667777&body=${encodeURIComponent(text)}`),
    );
    expect(res.status).toBe(200);
    expect(res.json).toHaveProperty('items');
    expect(await storedWithText(text)).toHaveLength(0);
  });

  it('needs a User key: 401 without, 403 for an edna token', async () => {
    expect((await list('', { key: null })).status).toBe(401);
    const edna = await list('', { key: 'demo-integrator-token' });
    expect(edna.status).toBe(403);
    expect(edna.json.responseStatus.errorCode).toBe('Forbidden');
  });
});

describe('formats and routes', () => {
  const xml = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@',
    parseTagValue: false,
    isArray: (name) => name === 'MessageInfo',
  });
  const ROOT = 'ListResponseOfMessageInfoCeNIv4MU';

  it.each(['/messages.xml', '/xml/reply/ListMessages', '/messages?format=xml'])('%s answers DataContract XML', async (path) => {
    const res = await api(`${path}${path.includes('?') ? '&' : '?'}countPerPage=2`, { key });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/xml/);
    const doc = xml.parse(res.text)[ROOT];
    expect(doc['@xmlns']).toBe('http://schemas.datacontract.org/2004/07/Voice.Api');
    expect(Object.keys(doc).filter((k) => !k.startsWith('@'))).toEqual(['HasMorePages', 'Items', 'TotalCount', 'TotalPages']);
    expect(doc).toMatchObject({ HasMorePages: 'true', TotalCount: '9', TotalPages: '5' });
    const items = doc.Items.MessageInfo;
    expect(items.map((m: { Id: string }) => m.Id)).toEqual(newest().slice(0, 2));
    expect(items[0]['@xmlns']).toBe('http://schemas.datacontract.org/2004/07/Voice.Api.Messaging');
    expect(Object.keys(items[0]).filter((k) => !k.startsWith('@'))[0]).toBe('AccountId');
  });

  it.each([
    ['/messages.json', { accept: 'application/xml' }],
    ['/json/reply/ListMessages', { accept: 'application/xml' }],
    ['/api/ListMessages', {}],
  ])('%s answers JSON', async (path, headers) => {
    const res = await api(`${path}?countPerPage=2`, { key, headers });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(ids(res.json)).toEqual(newest().slice(0, 2));
  });

  it('wraps JSON in ?callback= (JSONP)', async () => {
    const res = await list('callback=show.messages&countPerPage=1');
    expect(res.headers.get('content-type')).toMatch(/^application\/javascript/);
    const match = /^show\.messages\((.*)\)$/s.exec(res.text);
    expect(ids(JSON.parse(match![1]!))).toEqual(newest().slice(0, 1));
  });

  it('binds the same request from the query, JSON, a form and XML', async () => {
    const endpointIds = [endpoints[0]!.endpointId, endpoints[2]!.endpointId];
    const expected = sent
      .filter((m) => endpointIds.includes(m.endpointId))
      .map((m) => m.id)
      .slice(0, 4);
    const byQuery = await list(`EndpointIds=${endpointIds.join(',')}&SortOrder=Ascend&CountPerPage=4`);
    const byJsv = await list(`endpointIds=[${endpointIds.join(',')}]&sortOrder=ascend&countPerPage=4`);
    const byJson = await api('/json/reply/ListMessages', {
      key,
      method: 'POST',
      body: { endpointIds, sortOrder: 'Ascend', countPerPage: 4 },
    });
    const byForm = await api('/api/ListMessages', {
      key,
      method: 'POST',
      body: `endpointIds=${endpointIds.join(',')}&sortOrder=Ascend&countPerPage=4`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    const arrays = 'http://schemas.microsoft.com/2003/10/Serialization/Arrays';
    const byXml = await api('/json/reply/ListMessages', {
      key,
      method: 'POST',
      headers: { 'content-type': 'application/xml' },
      body: `<ListMessages xmlns:i="http://www.w3.org/2001/XMLSchema-instance" xmlns="http://schemas.datacontract.org/2004/07/Voice.Api"><CountPerPage>4</CountPerPage><EndpointIds xmlns:d2p1="${arrays}">${endpointIds.map((id) => `<d2p1:string>${id}</d2p1:string>`).join('')}</EndpointIds><SortOrder>Ascend</SortOrder></ListMessages>`,
    });
    for (const res of [byQuery, byJsv, byJson, byForm, byXml]) {
      expect(res.status).toBe(200);
      expect(ids(res.json)).toEqual(expected);
      expect(res.json.totalCount).toBe(6);
    }
  });

  it('serves a real JsonServiceClient calling client.get(new ListMessages(...))', async () => {
    const client = new JsonServiceClient(`http://127.0.0.1:${ports.http}`);
    client.bearerToken = key;
    const response = await client.get(new ListMessages({ customerIds: [endpoints[2]!.customerId], countPerPage: 2, page: 1 }));
    const ofCustomer = sent
      .filter((m) => m.customerId === endpoints[2]!.customerId)
      .map((m) => m.id)
      .reverse();
    expect(response.items!.map((m) => m.id)).toEqual(ofCustomer.slice(2, 4));
    expect(response).toMatchObject({ totalCount: 3, totalPages: 2, hasMorePages: false });
    const old = new JsonServiceClient(`http://127.0.0.1:${ports.http}`);
    old.basePath = null as unknown as string; // /json/reply/ListMessages
    old.bearerToken = key;
    expect((await old.get(new ListMessages({ simplifiedPaging: true, countPerPage: 1 }))).items!.map((m) => m.id)).toEqual(
      newest().slice(0, 1),
    );
  });
});

describe('filters', () => {
  it('combines filters with AND and the values of one list with OR', async () => {
    const a1 = endpoints[0]!.endpointId;
    const b1 = endpoints[2]!.endpointId;
    const either = await list(`endpointIds=${a1},${b1}`);
    expect(ids(either.json)).toEqual(
      sent
        .filter((m) => [a1, b1].includes(m.endpointId))
        .map((m) => m.id)
        .reverse(),
    );
    const both = await list(`endpointIds=${a1},${b1}&customerIds=${endpoints[2]!.customerId}`);
    expect(ids(both.json)).toEqual(
      sent
        .filter((m) => m.endpointId === b1)
        .map((m) => m.id)
        .reverse(),
    );
  });

  it('filters by customer, by conversation (a session id) and by specific ids', async () => {
    const customer = endpoints[0]!.customerId;
    expect(ids((await list(`customerIds=${customer}`)).json)).toEqual(
      sent
        .filter((m) => m.customerId === customer)
        .map((m) => m.id)
        .reverse(),
    );
    const session = sessionOf.get(sent[4]!.id)!;
    const ofSession = sent
      .filter((m) => sessionOf.get(m.id) === session)
      .map((m) => m.id)
      .reverse();
    expect(ids((await list(`conversationIds=${session}`)).json)).toEqual(ofSession);
    const specific = [sent[1]!.id, sent[7]!.id, 'missing_id'];
    const res = await list(`specificIds=${specific.join(',')}&sortOrder=Ascend`);
    expect(ids(res.json)).toEqual([sent[1]!.id, sent[7]!.id]);
    expect(res.json.totalCount).toBe(2);
  });

  it('lists messages strictly after AfterDate', async () => {
    const res = await list(`afterDate=${encodeURIComponent(sent[5]!.date)}`);
    expect(ids(res.json)).toEqual(
      sent
        .slice(6)
        .map((m) => m.id)
        .reverse(),
    );
    const offset = new Date(Date.parse(sent[5]!.date)).toISOString().replace('Z', '+00:00');
    expect(ids((await list(`afterDate=${encodeURIComponent(offset)}`)).json)).toEqual(ids(res.json));
  });

  it("gives nothing for AccountIds without the caller's own account, and ignores the others named with it", async () => {
    expect((await list('accountIds=acct_demo')).json).toEqual({ items: [], totalCount: 0, totalPages: 0, hasMorePages: false });
    expect((await list(`accountIds=acct_demo,${account}`)).json.totalCount).toBe(9);
  });
});

describe('tenancy: another account sees nothing, exactly as if it did not exist', () => {
  const other = (query: string) => api(`/messages?${query}`, { key: OTHER_KEY });
  it.each([
    ['endpoint', () => `endpointIds=${endpoints[0]!.endpointId}`, () => 'endpointIds=ep_missing'],
    ['customer', () => `customerIds=${endpoints[0]!.customerId}`, () => 'customerIds=cus_missing'],
    ['conversation', () => `conversationIds=${sessionOf.get(sent[0]!.id)}`, () => 'conversationIds=ses_missing'],
    ['message id', () => `specificIds=${sent[0]!.id}`, () => 'specificIds=01J0000000000000000000MISS'],
    ['account', () => `accountIds=${account}`, () => 'accountIds=acct_missing'],
  ])("another account's %s", async (_what, theirs, missing) => {
    const [a, b] = await Promise.all([other(theirs()), other(missing())]);
    expect(a.status).toBe(200);
    expect(a.json).toEqual({ items: [], totalCount: 0, totalPages: 0, hasMorePages: false });
    expect(b.json).toEqual(a.json);
  });
});

describe('paging and sorting', () => {
  it('pages from 0 with totals, newest first by default, and Ascend reverses', async () => {
    const pages = await Promise.all([0, 1, 2, 3].map((page) => list(`countPerPage=4&page=${page}`)));
    expect(pages.map((p) => ids(p.json))).toEqual([newest().slice(0, 4), newest().slice(4, 8), newest().slice(8), []]);
    expect(pages.map((p) => p.json.hasMorePages)).toEqual([true, true, false, false]);
    expect(pages[0]!.json).toMatchObject({ totalCount: 9, totalPages: 3 });
    const ascending = await list('countPerPage=4&page=1&sortOrder=Ascend&sortField=Date');
    expect(ids(ascending.json)).toEqual(sent.slice(4, 8).map((m) => m.id));
  });

  it('SimplifiedPaging answers data and hasMorePages only', async () => {
    const first = await list('simplifiedPaging=true&countPerPage=5');
    expect(first.json).toMatchObject({ totalCount: 0, totalPages: 0, hasMorePages: true });
    expect(ids(first.json)).toEqual(newest().slice(0, 5));
    const last = await list('simplifiedPaging=true&countPerPage=5&page=1');
    expect(last.json.hasMorePages).toBe(false);
    expect((await list('simplifiedPaging=true&countPerPage=5&page=2')).json.items).toEqual([]);
  });

  it('All returns every message in one page', async () => {
    const res = await list('all=true&countPerPage=2&page=3');
    expect(ids(res.json)).toEqual(newest());
    expect(res.json).toMatchObject({ totalCount: 9, totalPages: 1, hasMorePages: false });
  });
});

describe('bad input: 400 naming the field, never a 5xx, nothing stored', () => {
  it.each(
    [
      ['countPerPage=0', 'CountPerPage'],
      ['countPerPage=-1', 'CountPerPage'],
      ['countPerPage=1000000000', 'CountPerPage'],
      ['countPerPage=abc', 'CountPerPage'],
      ['page=-1', 'Page'],
      ['page=1.5', 'Page'],
      ['page=100000', 'Page'],
      ['afterDate=yesterday', 'AfterDate'],
      ['afterDate=2026-13-45T00:00:00Z', 'AfterDate'],
      ['afterDate=2026-11-25T10:00:00', 'AfterDate'],
      ['sortField=Text', 'SortField'],
      ['sortOrder=Sideways', 'SortOrder'],
      ['all=maybe', 'All'],
      ['simplifiedPaging=2', 'SimplifiedPaging'],
      [`endpointIds=${Array.from({ length: 1000 }, (_, i) => `ep_${i}`).join(',')}`, 'EndpointIds'],
      [`specificIds=${Array.from({ length: 1000 }, (_, i) => `m${i}`).join(',')}`, 'SpecificIds'],
      ['conversationIds=a%23b', 'ConversationIds[0]'],
    ].map(([query, field]) => [query!.length > 60 ? `${query!.slice(0, 40)}... (1,000 ids)` : query!, query!, field!]),
  )('%s', async (_label, query, fieldName) => {
    const res = await expectNothingStored(() => list(query));
    expect(res.status).toBe(400);
    expect(res.json.responseStatus.errors[0].fieldName).toBe(fieldName);
  });

  it('answers a bad request in XML on the XML route', async () => {
    const res = await api('/messages.xml?page=-1', { key });
    expect(res.status).toBe(400);
    expect(res.text).toContain('<FieldName>Page</FieldName>');
  });
});
