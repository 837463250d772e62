import { GetCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { expect, inject } from 'vitest';
import { useLocalCredentials } from '../../scripts/stack.js';
import { createDocumentClient } from '../../lib/store/client.js';
import type { Table } from '../../lib/store/table.js';

const stack = inject('stack');
useLocalCredentials(stack.dynamodbEndpoint);

export const ports = stack.ports;

/** The table the functions write to, reached directly: never faulted. */
export const table: Table = {
  client: createDocumentClient({ tableName: stack.tableName, endpoint: stack.dynamodbEndpoint }),
  name: stack.tableName,
};

/** One item as stored now (a strongly consistent read), or undefined. */
export const item = async (key: { pk: string; sk: string }) =>
  (await table.client.send(new GetCommand({ TableName: table.name, Key: key, ConsistentRead: true }))).Item;

export const DEMO_KEY = 'demo-user-key';
export const OTHER_KEY = 'other-user-key';

/** A request to serverless-offline over a real socket, with the demo key unless `key` says otherwise. */
export async function api(
  path: string,
  init: { method?: string; body?: string | object; key?: string | null; headers?: Record<string, string> } = {},
): Promise<{ status: number; headers: Headers; text: string; json: any }> {
  const headers: Record<string, string> = { ...init.headers };
  const key = init.key === undefined ? DEMO_KEY : init.key;
  if (key !== null) headers.authorization ??= `Bearer ${key}`;
  let body: string | undefined;
  if (typeof init.body === 'object') {
    body = JSON.stringify(init.body);
    headers['content-type'] ??= 'application/json';
  } else body = init.body;
  const response = await fetch(`http://127.0.0.1:${ports.http}${path}`, { method: init.method ?? (body ? 'POST' : 'GET'), headers, body });
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

/**
 * Every item in the table (small locally): used to prove that refusals store nothing. The delivery
 * pipeline's items (DELIVERY#, CARRIER#) are left out: they follow earlier sends in the background,
 * and a refused request, which stores no message, never causes one (test/e2e/delivery.test.ts reads them).
 */
export async function allItems(): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await table.client.send(new ScanCommand({ TableName: table.name, ExclusiveStartKey: start }));
    // The daily quota's counter (QUOTA#) is approximate by design: it counts what passed the guards,
    // written in batches (docs/operations.md), not stored messages.
    items.push(...(page.Items ?? []).filter((item) => !/^(DELIVERY|CARRIER|QUOTA)#/.test(String(item.pk))));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

/** Runs `action` and asserts the table holds exactly the same items afterwards. */
export async function expectNothingStored<T>(action: () => Promise<T>): Promise<T> {
  const before = await snapshot();
  const result = await action();
  expect(await changedSince(before)).toEqual([]);
  return result;
}

/** Every item of the table by its key (`pk|sk`), as JSON: compared item by item, not by count. */
export const snapshot = async (): Promise<Map<string, string>> =>
  new Map((await allItems()).map((item) => [`${String(item.pk)}|${String(item.sk)}`, JSON.stringify(item)]));

/** The keys of the items that appeared or changed since `before`. */
export async function changedSince(before: Map<string, string>): Promise<string[]> {
  return [...(await snapshot())].filter(([key, value]) => before.get(key) !== value).map(([key]) => key);
}

/** The ServiceStack error body: `{ responseStatus: { errorCode, message, errors } }`. */
export function expectResponseStatus(json: any, errorCode: string, fieldName?: string): void {
  expect(json.responseStatus.errorCode).toBe(errorCode);
  expect(typeof json.responseStatus.message).toBe('string');
  if (fieldName) expect(json.responseStatus.errors.map((e: { fieldName: string }) => e.fieldName)).toContain(fieldName);
}

/** The stored messages with this text (tests give each send a unique text). */
export const storedWithText = async (text: string) => (await allItems()).filter((item) => item.type === 'Message' && item.text === text);

/** A phone number no other test uses: `prefix` and seven random digits. */
export const randomPhone = (prefix = '+1555'): string => `${prefix}${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;

/** A function through serverless-offline's Lambda invoke API, as SQS or EventBridge would call it. */
export const invokeFunction = (name: string, event: unknown): Promise<Response> =>
  fetch(`http://127.0.0.1:${ports.lambda}/2015-03-31/functions/messaging-api-dev-${name}/invocations`, {
    method: 'POST',
    body: JSON.stringify(event),
  });
