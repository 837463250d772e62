import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  BatchWriteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy.js';
import { table } from '../support/stack.js';

const { dynamodbEndpoint } = inject('stack');
let proxy: FaultProxy;

/**
 * A client of the proxy that neither retries nor waits long: each fault shows as it is. (Without
 * `throwOnRequestTimeout` the SDK only warns when `requestTimeout` passes, and keeps waiting.)
 */
const client = (requestTimeout = 5000, endpoint = proxy.url) =>
  DynamoDBDocumentClient.from(
    new DynamoDBClient({ endpoint, maxAttempts: 1, requestHandler: { requestTimeout, throwOnRequestTimeout: true } }),
  );

/** A partition key no other test uses, under `prefix`. */
const pk = (prefix: string) => `${prefix}#${randomUUID()}`;
const put = (key: string, sk = 'ITEM') => new PutCommand({ TableName: table.name, Item: { pk: key, sk } });
const stored = async (key: string, sk = 'ITEM') =>
  (await table.client.send(new GetCommand({ TableName: table.name, Key: { pk: key, sk }, ConsistentRead: true }))).Item;
const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: Error & { code?: string; $metadata?: { httpStatusCode?: number } }) => error,
  );

beforeAll(async () => {
  proxy = await startFaultProxy(dynamodbEndpoint);
});
afterEach(() => {
  proxy.clearFaults();
  proxy.resetCalls();
});
afterAll(() => proxy.close());

describe('fault proxy in front of DynamoDB Local', () => {
  it('forwards requests untouched and logs each with its operation and keys', async () => {
    const key = pk('FP-PLAIN');
    await client().send(put(key));
    expect((await client().send(new GetCommand({ TableName: table.name, Key: { pk: key, sk: 'ITEM' } }))).Item).toEqual({
      pk: key,
      sk: 'ITEM',
    });
    expect(proxy.calls()).toEqual([
      { operation: 'PutItem', keys: [key], sortKeys: ['ITEM'] },
      { operation: 'GetItem', keys: [key], sortKeys: ['ITEM'] },
    ]);
  });

  it('drop-response: the write lands, and the caller times out without an answer', async () => {
    const key = pk('FP-DROP');
    proxy.inject({ operation: 'PutItem', keyPrefix: 'FP-DROP#', action: 'drop-response' });
    const error = await failure(client(300).send(put(key)));
    expect(error?.name).toBe('TimeoutError');
    await proxy.settled();
    expect(await stored(key)).toBeDefined();
    expect(proxy.calls()).toEqual([{ operation: 'PutItem', keys: [key], sortKeys: ['ITEM'], action: 'drop-response' }]);
  });

  it('drop-response: a held caller is let go when the proxy stops', async () => {
    const own = await startFaultProxy(dynamodbEndpoint);
    own.inject({ action: 'drop-response' });
    const sent = failure(client(20_000, own.url).send(put(pk('FP-HELD'))));
    while (own.calls().length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    await own.settled();
    await own.close();
    expect((await sent)?.code).toBe('ECONNRESET');
  });

  it('reset: the caller errors and the write never lands', async () => {
    const key = pk('FP-RESET');
    proxy.inject({ keyPrefix: 'FP-RESET#', action: 'reset' });
    const error = await failure(client().send(put(key)));
    expect(error?.code).toBe('ECONNRESET');
    expect(await stored(key)).toBeUndefined();
  });

  it('delay: the answer comes after later undelayed ones, and a client with a shorter timeout gives up', async () => {
    const slow = pk('FP-SLOW');
    const fast = pk('FP-FAST');
    proxy.inject({ keyPrefix: 'FP-SLOW#', action: 'delay', delayMs: 1000 });
    const answered: string[] = [];
    const slowPut = client()
      .send(put(slow))
      .then(() => answered.push('slow'));
    await client()
      .send(put(fast))
      .then(() => answered.push('fast'));
    await slowPut;
    expect(answered).toEqual(['fast', 'slow']);
    expect((await failure(client(200).send(put(slow))))?.name).toBe('TimeoutError');
  });

  it.each([
    [{}, 'ThrottlingException', 400],
    [{ errorType: 'ProvisionedThroughputExceededException' }, 'ProvisionedThroughputExceededException', 400],
    [{ status: 500 }, 'InternalServerError', 500],
  ])('error %j: the SDK raises %s, and nothing is written', async (options, name, status) => {
    const key = pk('FP-ERROR');
    proxy.inject({ operation: 'PutItem', action: 'error', ...options });
    const error = await failure(client().send(put(key)));
    expect(error?.name).toBe(name);
    expect(error?.$metadata?.httpStatusCode).toBe(status);
    expect(await stored(key)).toBeUndefined();
  });

  it('times: a rule applies to that many matching requests, then the next rule or none', async () => {
    proxy.inject({ operation: 'PutItem', action: 'error', times: 2 });
    proxy.inject({ operation: 'PutItem', action: 'error', status: 500, times: 1 });
    const names = [];
    for (let i = 0; i < 4; i++) names.push((await failure(client().send(put(pk('FP-TIMES')))))?.name);
    expect(names).toEqual(['ThrottlingException', 'ThrottlingException', 'InternalServerError', undefined]);
    expect(proxy.calls().map((call) => call.action)).toEqual(['error', 'error', 'error', undefined]);
  });

  it('matches by operation and key prefix, inside a TransactWriteItems too', async () => {
    const a = pk('FP-TX-A');
    const b = pk('FP-TX-B');
    proxy.inject({ operation: 'TransactWriteItems', keyPrefix: 'FP-TX-B#', action: 'reset' });
    const transact = (...keys: string[]) =>
      client().send(
        new TransactWriteCommand({ TransactItems: keys.map((key) => ({ Put: { TableName: table.name, Item: { pk: key, sk: 'ITEM' } } })) }),
      );
    expect((await failure(transact(a, b)))?.code).toBe('ECONNRESET');
    await transact(a);
    await client().send(put(b));
    expect([await stored(a), await stored(b)]).toEqual([
      { pk: a, sk: 'ITEM' },
      { pk: b, sk: 'ITEM' },
    ]);
    expect(proxy.calls().map(({ operation, keys, action }) => ({ operation, keys, action }))).toEqual([
      { operation: 'TransactWriteItems', keys: [a, b], action: 'reset' },
      { operation: 'TransactWriteItems', keys: [a], action: undefined },
      { operation: 'PutItem', keys: [b], action: undefined },
    ]);
  });

  it('matches by sort key prefix: the message, not its session, in one partition', async () => {
    const session = pk('FP-SESSION');
    proxy.inject({ keyPrefix: 'FP-SESSION#', sortKeyPrefix: 'MESSAGE#', action: 'error' });
    await client().send(put(session, 'SESSION'));
    expect((await failure(client().send(put(session, 'MESSAGE#1'))))?.name).toBe('ThrottlingException');
    expect(proxy.calls({ sortKeyPrefix: 'MESSAGE#' })).toHaveLength(1);
  });

  it('logs the keys of a Query and of batch writes, and filters the log by operation and prefix', async () => {
    const key = pk('FP-LOG');
    await client().send(
      new QueryCommand({
        TableName: table.name,
        KeyConditionExpression: '#p = :p AND begins_with(sk, :m)',
        ExpressionAttributeNames: { '#p': 'pk' },
        ExpressionAttributeValues: { ':p': key, ':m': 'MESSAGE#' },
      }),
    );
    await client().send(
      new BatchWriteCommand({
        RequestItems: {
          [table.name]: [{ PutRequest: { Item: { pk: key, sk: 'A' } } }, { DeleteRequest: { Key: { pk: 'FP-OTHER#1', sk: 'B' } } }],
        },
      }),
    );
    expect(proxy.calls()).toEqual([
      { operation: 'Query', keys: [key], sortKeys: ['MESSAGE#'] },
      { operation: 'BatchWriteItem', keys: [key, 'FP-OTHER#1'], sortKeys: ['A', 'B'] },
    ]);
    expect(proxy.calls({ operation: 'Query' })).toHaveLength(1);
    expect(proxy.calls({ keyPrefix: 'FP-OTHER#' }).map((call) => call.operation)).toEqual(['BatchWriteItem']);
  });
});
