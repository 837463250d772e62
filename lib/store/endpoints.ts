import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Endpoint } from '../domain/session.js';
import { endpointItem, fromItem } from './items.js';
import { keys } from './keys.js';
import { call, type Table } from './table.js';

export async function getEndpoint(table: Table, endpointId: string): Promise<Endpoint | undefined> {
  const { Item } = await call(() => table.client.send(new GetCommand({ TableName: table.name, Key: keys.endpoint(endpointId) })));
  return fromItem(endpointItem, Item);
}

export async function putEndpoint(table: Table, endpoint: Endpoint): Promise<void> {
  await call(() =>
    table.client.send(new PutCommand({ TableName: table.name, Item: { ...keys.endpoint(endpoint.endpointId), type: 'Endpoint', ...endpoint } })),
  );
}
