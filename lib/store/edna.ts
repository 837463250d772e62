import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { EdnaClient, NumberAllocator } from '../domain/edna/send-to-device.js';
import { ednaClientItem } from './items.js';
import { keys } from './keys.js';
import type { StoredMessage } from '../domain/message-info.js';
import type { Created } from '../domain/ports.js';
import { messageRecord } from './messages.js';
import { call, createOnce, entityItem, getItem, type Table } from './table.js';

export const getEdnaClient = (table: Table, accountId: string, clientKey: string, consistent = false): Promise<EdnaClient | undefined> =>
  getItem(table, keys.ednaClient(accountId, clientKey), ednaClientItem, consistent);

/**
 * The client, its thread's session and the thread's first message, created together once: concurrent
 * first sends to a device share one client and one thread, and a send that fails leaves neither.
 */
export function createEdnaClient(table: Table, client: EdnaClient, first: StoredMessage): Promise<Created<EdnaClient>> {
  return createOnce(
    table,
    [
      entityItem(keys.ednaClient(client.accountId, client.clientKey), 'EdnaClient', client),
      entityItem(keys.session(client.session.sessionId), 'Session', client.session),
      messageRecord(first),
    ],
    client,
    () => getEdnaClient(table, client.accountId, client.clientKey, true),
  );
}

/** Reserves `size` numbers with one atomic ADD on the counter item; returns the last of them. */
async function reserveBlock(table: Table, size: number): Promise<number> {
  const { Attributes } = await call((options) =>
    table.client.send(
      new UpdateCommand({
        TableName: table.name,
        Key: keys.ednaCounter(),
        UpdateExpression: 'ADD #last :size SET #type = :type',
        ExpressionAttributeNames: { '#last': 'last', '#type': 'type' },
        ExpressionAttributeValues: { ':size': size, ':type': 'Counter' },
        ReturnValues: 'UPDATED_NEW',
      }),
      options,
    ),
  );
  const last = Attributes?.last;
  if (typeof last !== 'number' || !Number.isSafeInteger(last) || last < size)
    throw new Error(`The edna counter holds ${String(last)}, not a number of reserved ids`);
  return last;
}

/**
 * Numeric ids from blocks reserved on one counter: a warm container spends one write per `size`
 * ids, not one per message. Ids are unique and never reused; a container that dies leaves a gap.
 */
export function blockAllocator(table: Table, size = 100): NumberAllocator {
  let next = 1;
  let last = 0;
  let pending: Promise<void> | undefined;
  const refill = async () => {
    const end = await reserveBlock(table, size);
    next = end - size + 1;
    last = end;
  };
  return {
    async next() {
      while (next > last) {
        pending ??= refill().finally(() => (pending = undefined));
        await pending;
      }
      return next++;
    },
  };
}
