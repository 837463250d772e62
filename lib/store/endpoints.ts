import type { Endpoint } from '../domain/session.js';
import { endpointItem } from './items.js';
import { keys } from './keys.js';
import { getItem, putEntity, type Table } from './table.js';

export const getEndpoint = (table: Table, endpointId: string): Promise<Endpoint | undefined> =>
  getItem(table, keys.endpoint(endpointId), endpointItem);

export const putEndpoint = (table: Table, endpoint: Endpoint): Promise<void> =>
  putEntity(table, keys.endpoint(endpoint.endpointId), 'Endpoint', endpoint);
