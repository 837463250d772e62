import { randomUUID } from 'node:crypto';
import { DynamoDBClient, DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, inject, it } from 'vitest';
import { outgoingMessage, type StoredMessage } from '../../lib/domain/message-info.js';
import { newSession, type Endpoint } from '../../lib/domain/session.js';
import { ulidGenerator } from '../../lib/ids.js';
import { keys, MESSAGE_INDEX_SHARDS, messageIndexKeys } from '../../lib/store/keys.js';
import { messagesByIds, scanMessages } from '../../lib/store/message-index.js';
import { ReadLimitExceeded } from '../../lib/domain/list-messages-query.js';
import { putMessage } from '../../lib/store/messages.js';
import { backfillMessageIndexes } from '../../lib/store/message-index-backfill.js';
import { putEntity } from '../../lib/store/table.js';
import type { MessageRange, MessageScope } from '../../lib/domain/list-messages-query.js';
import { table } from '../support/stack.js';

const ids = ulidGenerator();

/** A fresh account with two endpoints (two customers), so the test owns every message it reads. */
function fixture() {
  const accountId = `acct_${randomUUID().slice(0, 8)}`;
  const endpoints: Endpoint[] = [1, 2].map((n) => ({
    endpointId: `ep_${n}_${accountId}`,
    accountId,
    customerId: `cus_${n}`,
    displayName: `Line ${n}`,
    address: `+1555000000${n}`,
  }));
  const sessions = endpoints.map((e, n) => newSession(e, `+1555777000${n}`, `ses_${n}_${accountId}`));
  return { accountId, endpoints, sessions };
}

async function sendAll(
  sessions: ReturnType<typeof fixture>['sessions'],
  count: number,
  start = Date.parse('2026-11-01T00:00:00Z'),
): Promise<StoredMessage[]> {
  const sent: StoredMessage[] = [];
  for (let i = 0; i < count; i++) {
    const date = new Date(start + i * 1000);
    const message = outgoingMessage(sessions[i % sessions.length]!, `m${i}`, ids.next(), date);
    await putMessage(table, message);
    sent.push(message);
  }
  return sent;
}

const collect = async (scopes: MessageScope[], range: Partial<MessageRange> = {}) => {
  const out: StoredMessage[] = [];
  for await (const m of scanMessages(table, scopes, { descending: true, hint: 3, maxRead: 1000, ...range })) out.push(m);
  return out;
};

describe('message indexes on DynamoDB Local', () => {
  it('creates the table with the three indexes of serverless.yml', async () => {
    const { Table } = await new DynamoDBClient({ endpoint: inject('stack').dynamodbEndpoint }).send(
      new DescribeTableCommand({ TableName: table.name }),
    );
    expect(Table!.GlobalSecondaryIndexes!.map((i) => i.IndexName).sort()).toEqual(['byAccount', 'byCustomer', 'byEndpoint']);
  });

  it('stores the index attributes with every message', async () => {
    const { sessions } = fixture();
    const [message] = await sendAll(sessions, 1);
    const { Item } = await table.client.send(new GetCommand({ TableName: table.name, Key: keys.message(message!.sessionId, message!.id) }));
    expect(Item).toMatchObject(messageIndexKeys(message!));
  });

  it("merges an account's shards in id order, both ways, reading lazily in small chunks", async () => {
    const { accountId, sessions } = fixture();
    const sent = await sendAll(sessions, 13);
    const newest = await collect([{ kind: 'account', accountId }]);
    expect(newest.map((m) => m.id)).toEqual(sent.map((m) => m.id).reverse());
    const oldest = await collect([{ kind: 'account', accountId }], { descending: false });
    expect(oldest.map((m) => m.text)).toEqual(sent.map((m) => m.text));
    expect(new Set(sent.map((m) => messageIndexKeys(m).gsiAccount)).size).toBeGreaterThan(1);
  });

  it('reads at most maxRead items: a scan that needs more stops with ReadLimitExceeded', async () => {
    const { accountId, sessions } = fixture();
    const sent = await sendAll(sessions, 13);
    expect(await collect([{ kind: 'account', accountId }], { hint: 100, maxRead: 100 })).toHaveLength(sent.length);
    await expect(collect([{ kind: 'account', accountId }], { hint: 100, maxRead: 8 })).rejects.toBeInstanceOf(ReadLimitExceeded);
  });

  it('serves an endpoint, a customer and a session, each within its account', async () => {
    const { accountId, endpoints, sessions } = fixture();
    const sent = await sendAll(sessions, 6);
    const ofEndpoint = sent
      .filter((m) => m.endpointId === endpoints[1]!.endpointId)
      .map((m) => m.id)
      .reverse();
    expect((await collect([{ kind: 'endpoint', accountId, endpointId: endpoints[1]!.endpointId }])).map((m) => m.id)).toEqual(ofEndpoint);
    expect((await collect([{ kind: 'customer', accountId, customerId: 'cus_2' }])).map((m) => m.id)).toEqual(ofEndpoint);
    expect((await collect([{ kind: 'session', sessionId: sessions[1]!.sessionId }])).map((m) => m.id)).toEqual(ofEndpoint);
    // Another account naming the same endpoint or customer addresses other partitions: nothing.
    expect(await collect([{ kind: 'endpoint', accountId: 'acct_demo', endpointId: endpoints[1]!.endpointId }])).toEqual([]);
    expect(await collect([{ kind: 'customer', accountId: 'acct_demo', customerId: 'cus_2' }])).toEqual([]);
  });

  it('starts after a date by id: ids are ULIDs, whose time is when the message was stored', async () => {
    const { accountId, sessions } = fixture();
    await sendAll(sessions, 5);
    expect(await collect([{ kind: 'account', accountId }], { after: new Date(Date.now() - 60_000) })).toHaveLength(5);
    expect(await collect([{ kind: 'account', accountId }], { after: new Date(Date.now() + 60_000) })).toEqual([]);
  });

  it('continues after a message id in either order', async () => {
    const { accountId, sessions } = fixture();
    const sent = await sendAll(sessions, 9);
    const newest = sent.map((m) => m.id).reverse();
    expect((await collect([{ kind: 'account', accountId }], { startAfter: newest[3] })).map((m) => m.id)).toEqual(newest.slice(4));
    expect((await collect([{ kind: 'account', accountId }], { startAfter: sent[5]!.id, descending: false })).map((m) => m.id)).toEqual(
      sent.slice(6).map((m) => m.id),
    );
    expect(await collect([{ kind: 'account', accountId }], { startAfter: sent[0]!.id, after: new Date(Date.now() + 60_000) })).toEqual([]);
  });

  it('finds messages by id within the account only', async () => {
    const { accountId, sessions } = fixture();
    const sent = await sendAll(sessions, 3);
    const found = await messagesByIds(table, accountId, [sent[0]!.id, sent[2]!.id, 'missing']);
    expect(found.map((m) => m.id).sort()).toEqual([sent[0]!.id, sent[2]!.id].sort());
    expect(await messagesByIds(table, 'acct_demo', [sent[0]!.id])).toEqual([]);
    expect(found[0]).not.toHaveProperty('gsiAccount');
  });

  it('backfills the index attributes of messages stored before the indexes, once', async () => {
    const { accountId, sessions } = fixture();
    const old = outgoingMessage(sessions[0]!, 'stored before the indexes', ids.next(), new Date());
    await putEntity(table, keys.message(old.sessionId, old.id), 'Message', old);
    expect(await messagesByIds(table, accountId, [old.id])).toEqual([]);
    expect(await backfillMessageIndexes(table)).toBeGreaterThanOrEqual(1);
    expect(await messagesByIds(table, accountId, [old.id])).toEqual([old]);
    expect(await backfillMessageIndexes(table)).toBe(0);
  });

  it('spreads ids evenly over the shards', () => {
    const counts = new Array(MESSAGE_INDEX_SHARDS).fill(0);
    for (let i = 0; i < 4000; i++)
      counts[
        Number(messageIndexKeys({ id: ids.next(), accountId: 'a', endpointId: 'e', customerId: 'c' }).gsiAccount!.split('#').at(-1))
      ]++;
    for (const count of counts) expect(count).toBeGreaterThan(800);
  });
});
