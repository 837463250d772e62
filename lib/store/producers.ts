import * as z from 'zod/mini';
import type { Producer } from '../domain/commands.js';
import { keys } from './keys.js';
import { getItem, type Table } from './table.js';

const producerItem = z.object({ accountIds: z.array(z.string()) });

/** The accountIds a producer is bound to; none when no binding exists. */
export async function tenantsOf(table: Table, producer: Producer): Promise<readonly string[]> {
  return (await getItem(table, keys.producer(producer), producerItem))?.accountIds ?? [];
}
