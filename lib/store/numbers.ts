import * as z from 'zod/mini';
import type { Endpoint } from '../domain/session.js';
import { getEndpoint } from './endpoints.js';
import { keys } from './keys.js';
import { getItem, type Table } from './table.js';

const numberItem = z.object({ number: z.string(), endpointId: z.string(), accountId: z.string() });

/**
 * The endpoint that owns a number: its `NUMBER#` item names the endpoint, whose own item is then
 * read (the number item holds no copy, so a rename never leaves it stale). Two reads, per inbound message.
 */
export async function endpointOfNumber(table: Table, e164: string): Promise<Endpoint | undefined> {
  const owner = await getItem(table, keys.number(e164), numberItem);
  const endpoint = owner && (await getEndpoint(table, owner.endpointId));
  return endpoint?.accountId === owner?.accountId ? endpoint : undefined;
}
