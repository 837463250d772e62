import { GetCommand, QueryCommand, TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import type { Credential } from '../domain/auth.js';
import type { Producer } from '../domain/commands.js';
import { ProvisioningError, ROLES, type Account, type AccountStatus, type KeyRecord } from '../domain/provisioning.js';
import type { Endpoint } from '../domain/session.js';
import { endpointItem, fromItem } from './items.js';
import { DIRECTORY, keys, type Key } from './keys.js';
import { entityItem, type Table } from './table.js';

/**
 * Provisioning's writes, each one transaction: a failure midway leaves nothing half-made. Only
 * operators' own credentials may run these (no function role may write CREDENTIAL#, ACCOUNT#,
 * ENDPOINT#, PRODUCER# or DIRECTORY). docs/table-design.md, "Provisioning", has the items.
 */
type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];
/** One item of a transaction, and what it means when its condition fails. */
interface Step {
  item: TransactItem;
  refusal?: ProvisioningError;
}

/** DynamoDB's limit of items per transaction. */
const MAX_TRANSACTION_ITEMS = 100;

async function transact(table: Table, steps: Step[]): Promise<void> {
  try {
    await table.client.send(new TransactWriteCommand({ TransactItems: steps.map((step) => step.item) }));
  } catch (error) {
    const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? [];
    const failed = reasons.findIndex((reason) => reason.Code === 'ConditionalCheckFailed');
    const refusal = failed >= 0 ? steps[failed]?.refusal : undefined;
    throw refusal ?? error;
  }
}

const put = (key: Key, type: string, value: object, refusal?: ProvisioningError): Step => ({
  item: {
    Put: { TableName: '', Item: entityItem(key, type, value), ...(refusal ? { ConditionExpression: 'attribute_not_exists(pk)' } : {}) },
  },
  refusal,
});
const withTable = (table: Table, steps: Step[]): Step[] =>
  steps.map(({ item, refusal }) => ({
    item: Object.fromEntries(Object.entries(item).map(([kind, op]) => [kind, { ...op, TableName: table.name }])),
    refusal,
  }));

const activeAccount = (accountId: string): Step => ({
  item: {
    ConditionCheck: {
      TableName: '',
      Key: keys.account(accountId),
      ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(#status) OR #status = :active)',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':active': 'active' },
    },
  },
  refusal: new ProvisioningError('not-found', `Account ${accountId} does not exist or is disabled`),
});

const run = (table: Table, steps: Step[]) => transact(table, withTable(table, steps));

async function query(table: Table, pk: string, prefix: string): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await table.client.send(
      new QueryCommand({
        TableName: table.name,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': pk, ':prefix': prefix },
        ConsistentRead: true,
        ExclusiveStartKey,
      }),
    );
    items.push(...(page.Items ?? []));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return items;
}

const accountItem = z.object({ accountId: z.string(), name: z.string(), status: z.optional(z.enum(['active', 'disabled'])) });
const keyItem = z.object({
  keyId: z.string(),
  accountId: z.string(),
  secretHash: z.string(),
  hint: z.string(),
  roles: z.array(z.enum(ROLES)),
  agentId: z.optional(z.number()),
  label: z.optional(z.string()),
  createdAt: z.string(),
  status: z.enum(['active', 'revoked']),
  retiresAt: z.optional(z.number()),
  replacedBy: z.optional(z.string()),
  revokedAt: z.optional(z.string()),
});
export type KeyView = z.infer<typeof keyItem>;
const producerItem = z.object({
  kind: z.enum(['sqs', 'events']),
  senderId: z.optional(z.string()),
  account: z.optional(z.string()),
  source: z.optional(z.string()),
  accountIds: z.array(z.string()),
});

const parseAll = <S extends z.ZodMiniType>(schema: S, items: Record<string, unknown>[]): z.infer<S>[] =>
  items.map((item) => fromItem(schema, item)!);

// Accounts

export async function createAccount(table: Table, account: Account): Promise<void> {
  const exists = new ProvisioningError('exists', `Account ${account.accountId} already exists`);
  const key = keys.account(account.accountId);
  await run(table, [put(key, 'Account', account, exists), put(keys.directory(key), 'Directory', account, exists)]);
}

export const getAccount = async (table: Table, accountId: string): Promise<Account | undefined> =>
  fromItem(
    accountItem,
    (await table.client.send(new GetCommand({ TableName: table.name, Key: keys.account(accountId), ConsistentRead: true }))).Item,
  );

export const listAccounts = async (table: Table): Promise<Account[]> => parseAll(accountItem, await query(table, DIRECTORY, 'ACCOUNT#'));

const setStatus = (key: Key, status: AccountStatus, refusal?: ProvisioningError): Step => ({
  item: {
    Update: {
      TableName: '',
      Key: key,
      UpdateExpression: 'SET #status = :status',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':status': status },
    },
  },
  refusal,
});

/** A key's credential item as sends read it: live until revoked, or until its rotation overlap ends. */
const credentialOf = (key: KeyRecord): Credential & { keyId: string } => ({
  accountId: key.accountId,
  roles: key.roles,
  ...(key.agentId === undefined ? {} : { agentId: key.agentId }),
  ...(key.retiresAt === undefined ? {} : { expiresAt: key.retiresAt }),
  keyId: key.keyId,
});

/** The key's record still says what it said when read: active, with the same end (a rotation sets one). */
const keyUnchanged = (key: KeyRecord, refusal: ProvisioningError): Step => ({
  item: {
    ConditionCheck: {
      TableName: '',
      Key: keys.accountKey(key.accountId, key.keyId),
      ConditionExpression: `#status = :active AND ${key.retiresAt === undefined ? 'attribute_not_exists(retiresAt)' : 'retiresAt = :retiresAt'}`,
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':active': 'active', ...(key.retiresAt === undefined ? {} : { ':retiresAt': key.retiresAt }) },
    },
  },
  refusal,
});

/** Raised when a key changed between reading the keys and writing their credentials; the caller reads again. */
class KeyChanged extends ProvisioningError {}

/** Enabling reads the keys again after a race with `key revoke` or `key rotate`, this many times at most. */
const ENABLE_ATTEMPTS = 3;

/**
 * Disabling deletes the credential items of the account's keys (their records stay), so sends stop
 * within CREDENTIAL_CACHE_SECONDS with no read added to a send; enabling writes them again from the
 * records (each holds the secret's hash), each on the condition that its record is unchanged since it
 * was read, so a key revoked or rotated meanwhile never comes back or loses its end (the keys are then
 * read again). The account's status changes in the first transaction; an account with more keys than
 * one transaction holds takes several, and running the command again finishes what an interrupted run
 * began.
 */
export async function setAccountStatus(table: Table, accountId: string, status: AccountStatus, now: Date): Promise<void> {
  const notFound = new ProvisioningError('not-found', `Account ${accountId} does not exist`);
  const liveKeys = async () =>
    (await listKeys(table, accountId)).filter(
      (key) => key.status === 'active' && (key.retiresAt === undefined || key.retiresAt * 1000 > now.getTime()),
    );
  const credentialSteps = (key: KeyRecord): Step[] =>
    status === 'disabled'
      ? [{ item: { Delete: { TableName: '', Key: keys.credential(key.secretHash) } } }]
      : [
          keyUnchanged(
            key,
            new KeyChanged('not-found', `Key ${key.keyId} kept changing while account ${accountId} was enabled; run the command again`),
          ),
          put(keys.credential(key.secretHash), 'Credential', credentialOf(key)),
        ];
  // A key's steps stay in one transaction, so that its condition guards its write.
  const inChunks = async (groups: Step[][]) => {
    let chunk: Step[] = [];
    for (const group of groups) {
      if (chunk.length + group.length > MAX_TRANSACTION_ITEMS) {
        await run(table, chunk);
        chunk = [];
      }
      chunk.push(...group);
    }
    if (chunk.length) await run(table, chunk);
  };
  const account = keys.account(accountId);
  const statusSteps = [setStatus(account, status, notFound), setStatus(keys.directory(account), status, notFound)];
  for (let attempt = 1; ; attempt++) {
    const before = await liveKeys();
    try {
      await inChunks([statusSteps, ...before.map(credentialSteps)]);
    } catch (error) {
      if (error instanceof KeyChanged && attempt < ENABLE_ATTEMPTS) continue;
      throw error;
    }
    // A key created while this ran (before the status changed; creation needs an active account) is found now.
    if (status === 'disabled')
      await inChunks((await liveKeys()).filter((key) => !before.some((b) => b.keyId === key.keyId)).map(credentialSteps));
    return;
  }
}

// Endpoints

export async function createEndpoint(table: Table, endpoint: Endpoint): Promise<void> {
  const exists = new ProvisioningError('exists', `Endpoint ${endpoint.endpointId} already exists`);
  await run(table, [
    activeAccount(endpoint.accountId),
    put(keys.endpoint(endpoint.endpointId), 'Endpoint', endpoint, exists),
    put(keys.accountEndpoint(endpoint.accountId, endpoint.endpointId), 'AccountEndpoint', endpoint),
    put(
      keys.number(endpoint.address),
      'Number',
      numberOwner(endpoint),
      new ProvisioningError('exists', `Number ${endpoint.address} already belongs to an endpoint`),
    ),
  ]);
}

/** The number's owner, as inbound messages look it up (docs/table-design.md). */
export const numberOwner = (endpoint: Endpoint) => ({
  number: endpoint.address,
  endpointId: endpoint.endpointId,
  accountId: endpoint.accountId,
});

export const listEndpoints = async (table: Table, accountId: string): Promise<Endpoint[]> =>
  parseAll(endpointItem, await query(table, keys.account(accountId).pk, 'ENDPOINT#'));

export async function getEndpointOf(table: Table, endpointId: string): Promise<Endpoint | undefined> {
  const { Item } = await table.client.send(new GetCommand({ TableName: table.name, Key: keys.endpoint(endpointId), ConsistentRead: true }));
  return fromItem(endpointItem, Item);
}

/** New sessions take the new name; existing sessions keep the name they were created with (sessions never change). */
export async function renameEndpoint(table: Table, endpoint: Endpoint, displayName: string): Promise<void> {
  const rename = (key: Key): Step => ({
    item: {
      Update: {
        TableName: '',
        Key: key,
        UpdateExpression: 'SET displayName = :name',
        ConditionExpression: 'attribute_exists(pk) AND accountId = :account',
        ExpressionAttributeValues: { ':name': displayName, ':account': endpoint.accountId },
      },
    },
    refusal: new ProvisioningError('not-found', `Endpoint ${endpoint.endpointId} does not exist`),
  });
  await run(table, [rename(keys.endpoint(endpoint.endpointId)), rename(keys.accountEndpoint(endpoint.accountId, endpoint.endpointId))]);
}

// Keys

/** The key's record and its credential item together, for an active account only. */
export async function createKey(table: Table, key: KeyRecord): Promise<void> {
  const exists = new ProvisioningError('exists', `Key ${key.keyId} already exists`);
  await run(table, [
    activeAccount(key.accountId),
    put(keys.credential(key.secretHash), 'Credential', credentialOf(key), exists),
    put(keys.accountKey(key.accountId, key.keyId), 'Key', key, exists),
  ]);
}

export const listKeys = async (table: Table, accountId: string): Promise<KeyRecord[]> =>
  parseAll(keyItem, await query(table, keys.account(accountId).pk, 'KEY#'));

export async function getKey(table: Table, accountId: string, keyId: string): Promise<KeyRecord | undefined> {
  const { Item } = await table.client.send(
    new GetCommand({ TableName: table.name, Key: keys.accountKey(accountId, keyId), ConsistentRead: true }),
  );
  return fromItem(keyItem, Item);
}

const updateKey = (key: KeyRecord, values: Record<string, unknown>): Step => ({
  item: {
    Update: {
      TableName: '',
      Key: keys.accountKey(key.accountId, key.keyId),
      UpdateExpression: `SET ${Object.keys(values)
        .map((name) => `#${name} = :${name}`)
        .join(', ')}`,
      ConditionExpression: '#status = :active',
      ExpressionAttributeNames: { ...Object.fromEntries(Object.keys(values).map((name) => [`#${name}`, name])), '#status': 'status' },
      ExpressionAttributeValues: {
        ...Object.fromEntries(Object.entries(values).map(([name, value]) => [`:${name}`, value])),
        ':active': 'active',
      },
    },
  },
  refusal: new ProvisioningError('not-found', `Key ${key.keyId} is not active`),
});

/** Deletes the credential item (sends stop within CREDENTIAL_CACHE_SECONDS) and marks the record revoked. */
export async function revokeKey(table: Table, key: KeyRecord, now: Date): Promise<void> {
  await run(table, [
    updateKey(key, { status: 'revoked', revokedAt: now.toISOString() }),
    { item: { Delete: { TableName: '', Key: keys.credential(key.secretHash) } } },
  ]);
}

/**
 * Issues `replacement` for `key`: both are accepted until `retiresAt` (epoch seconds), then only the
 * new one; the old credential item carries `expiresAt`, which sends check (and TTL later deletes).
 */
export async function rotateKey(table: Table, key: KeyRecord, replacement: KeyRecord, retiresAt: number): Promise<void> {
  const exists = new ProvisioningError('exists', `Key ${replacement.keyId} already exists`);
  const disabled = new ProvisioningError('disabled', `Key ${key.keyId} has no credential (its account is disabled)`);
  await run(table, [
    put(keys.credential(replacement.secretHash), 'Credential', credentialOf(replacement), exists),
    put(keys.accountKey(replacement.accountId, replacement.keyId), 'Key', replacement, exists),
    updateKey(key, { retiresAt, replacedBy: replacement.keyId }),
    {
      item: {
        Update: {
          TableName: '',
          Key: keys.credential(key.secretHash),
          UpdateExpression: 'SET expiresAt = :at',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':at': retiresAt },
        },
      },
      refusal: disabled,
    },
  ]);
}

// Event producers

/** Binds a producer to exactly these tenants (replacing an earlier binding); every one must be an active account. */
export async function bindProducer(table: Table, producer: Producer, accountIds: string[]): Promise<void> {
  const key = keys.producer(producer);
  const binding = { ...producer, accountIds };
  await run(table, [...accountIds.map(activeAccount), put(key, 'Producer', binding), put(keys.directory(key), 'Directory', binding)]);
}

export async function unbindProducer(table: Table, producer: Producer): Promise<void> {
  const key = keys.producer(producer);
  const remove = (k: Key): Step => ({
    item: { Delete: { TableName: '', Key: k, ConditionExpression: 'attribute_exists(pk)' } },
    refusal: new ProvisioningError('not-found', 'This producer is not bound'),
  });
  await run(table, [remove(key), remove(keys.directory(key))]);
}

export const listProducers = async (table: Table): Promise<z.infer<typeof producerItem>[]> =>
  parseAll(producerItem, await query(table, DIRECTORY, 'PRODUCER#'));
