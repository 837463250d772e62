import type { Credential } from '../domain/auth.js';
import { credentialItem } from './items.js';
import { keys } from './keys.js';
import { getItem, putEntity, type Table } from './table.js';

/** Looks up an API key or token by the SHA-256 of its secret; the secret itself is never stored. */
export const getCredential = (table: Table, secretHash: string): Promise<Credential | undefined> =>
  getItem(table, keys.credential(secretHash), credentialItem);

export const putCredential = (table: Table, secretHash: string, credential: Credential): Promise<void> =>
  putEntity(table, keys.credential(secretHash), 'Credential', credential);
