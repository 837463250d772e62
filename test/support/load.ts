import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { findPeerSession } from '../../lib/store/sessions.js';
import { api, randomPhone, table } from './stack.js';

/** Runs `count` tasks with at most `concurrency` in flight; results in task order. */
export async function pool<T>(count: number, concurrency: number, task: (i: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      results[i] = await task(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return results;
}

/**
 * A new session of the demo endpoint (a fresh random peer), opened by one message, so that a test
 * can count exactly what it stored.
 */
export async function freshSession(): Promise<string> {
  const toAddress = randomPhone();
  const res = await api('/messages', { body: { endpointId: 'ep_demo', toAddress, body: 'opening' } });
  if (res.status !== 200) throw new Error(`could not open a session: ${res.status} ${res.text}`);
  return (await findPeerSession(table, 'ep_demo', toAddress, true))!.sessionId;
}

/** Every message stored in a session, read straight from the table. */
export async function storedMessages(sessionId: string): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await table.client.send(
      new QueryCommand({
        TableName: table.name,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :m)',
        ExpressionAttributeValues: { ':pk': `SESSION#${sessionId}`, ':m': 'MESSAGE#' },
        ConsistentRead: true,
        ExclusiveStartKey: start,
      }),
    );
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}
