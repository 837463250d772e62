import { BatchGetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from '../../lib/store/keys.js';
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
 * can count exactly what it stored. The peer's number ends in 00, the simulated carrier's plain
 * "delivered" (a random one would pick a throttled or failing scenario one time in eleven, and load
 * the delivery pipeline with retries for the files after).
 */
export async function freshSession(): Promise<string> {
  const toAddress = `${randomPhone().slice(0, -2)}00`;
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

/**
 * Waits until every message has been delivered (the stream, the dispatcher, the simulated carrier and
 * its report): a file that sends thousands leaves the delivery pipeline idle for the files after it,
 * whose own messages would otherwise queue behind its backlog.
 */
export async function deliveredAll(messageIds: string[], timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  let pending = messageIds;
  while (pending.length > 0) {
    if (Date.now() > end) throw new Error(`${pending.length} of ${messageIds.length} messages not delivered in ${timeoutMs} ms`);
    const stillPending: string[] = [];
    for (let i = 0; i < pending.length; i += 100) {
      const batch = pending.slice(i, i + 100);
      // Keys DynamoDB left unprocessed are not in the answer: still pending, asked again.
      const { Responses = {} } = await table.client.send(
        new BatchGetCommand({ RequestItems: { [table.name]: { Keys: batch.map((id) => keys.delivery(id)) } } }),
      );
      const delivered = new Set(
        (Responses[table.name] ?? [])
          .filter((item) => item.status === 'delivered')
          .map((item) => String(item.pk).slice('DELIVERY#'.length)),
      );
      stillPending.push(...batch.filter((id) => !delivered.has(id)));
    }
    pending = stillPending;
    if (pending.length > 0) await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}
