import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Credential } from '../domain/auth.js';
import { credentialItem, fromItem } from './items.js';
import { keys } from './keys.js';
import { call, type Table } from './table.js';

/** Looks up an API key or token by the SHA-256 of its secret; the secret itself is never stored. */
export async function getCredential(table: Table, secretHash: string): Promise<Credential | undefined> {
  const { Item } = await call(() => table.client.send(new GetCommand({ TableName: table.name, Key: keys.credential(secretHash) })));
  return fromItem(credentialItem, Item);
}

export async function putCredential(table: Table, secretHash: string, credential: Credential): Promise<void> {
  await call(() =>
    table.client.send(new PutCommand({ TableName: table.name, Item: { ...keys.credential(secretHash), type: 'Credential', ...credential } })),
  );
}
