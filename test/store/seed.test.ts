import { DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { randomUUID } from 'node:crypto';
import { describe, expect, inject, it } from 'vitest';
import { createDocumentClient } from '../../lib/store/client.js';
import { keys } from '../../lib/store/keys.js';
import { entityItem, type Table } from '../../lib/store/table.js';
import { demo, isLocalDynamoDb, seed } from '../../scripts/seed.js';
import { createTable } from '../../scripts/table.js';
import { allItems, table } from '../support/stack.js';

const byKey = (items: Record<string, unknown>[]) => [...items].sort((a, b) => `${a.pk} ${a.sk}`.localeCompare(`${b.pk} ${b.sk}`));
const at = (endpoint: string | undefined): Table => ({
  client: createDocumentClient({ tableName: 'messaging-api-dev', endpoint }),
  name: 'messaging-api-dev',
});

describe('seed', () => {
  // A shared DynamoDB (DYNAMODB_ENDPOINT) is seeded by every stack that starts against it.
  it('can run again on a seeded table: it neither fails nor adds or changes an item', async () => {
    const before = byKey(await allItems());
    await seed(table);
    expect(byKey(await allItems())).toEqual(before);
  });

  it('knows a DynamoDB on this machine or its private network from one elsewhere', async () => {
    for (const local of [
      'http://127.0.0.1:8000',
      'http://localhost:8000',
      'http://[::1]:8000',
      'http://10.1.2.3:8000',
      'http://dynamodb:8000',
    ])
      expect(await isLocalDynamoDb(at(local)), local).toBe(true);
    for (const remote of [undefined, 'https://dynamodb.eu-west-1.amazonaws.com', 'https://ddb.example.com', 'http://52.94.0.1:8000'])
      expect(await isLocalDynamoDb(at(remote)), remote).toBe(false);
  });

  it('refuses to put the public demo keys into a DynamoDB in AWS unless asked, before writing anything', async () => {
    const aws = at('https://dynamodb.eu-west-1.amazonaws.com');
    await expect(seed(aws, undefined)).rejects.toThrow(
      'Not seeding the demo data into table messaging-api-dev at https://dynamodb.eu-west-1.amazonaws.com: its API keys are public',
    );
    await expect(seed(aws, undefined)).rejects.toThrow('SEED_DEMO_DATA=true seeds it anyway');
    await expect(seed(aws, 'false')).resolves.toBeUndefined();
  });

  it("never takes over a number another endpoint owns: the seed stops, and the owner's item is as it was", async () => {
    const endpoint = inject('stack').dynamodbEndpoint;
    const name = `seed-${randomUUID().slice(0, 8)}`;
    const client = new DynamoDBClient({ endpoint });
    await createTable(client, name, { indexes: false });
    const fresh: Table = { client: createDocumentClient({ tableName: name, endpoint }), name };
    try {
      const owner = entityItem(keys.number(demo.endpoint.address), 'Number', {
        number: demo.endpoint.address,
        endpointId: 'ep_someone',
        accountId: 'acct_someone',
      });
      await fresh.client.send(new PutCommand({ TableName: name, Item: owner }));
      await expect(seed(fresh)).rejects.toThrow(
        `Not seeding: number ${demo.endpoint.address} belongs to endpoint ep_someone of acct_someone, not to the demo's ep_demo`,
      );
      const { Item } = await fresh.client.send(
        new GetCommand({ TableName: name, Key: keys.number(demo.endpoint.address), ConsistentRead: true }),
      );
      expect(Item).toEqual(owner);
    } finally {
      await client.send(new DeleteTableCommand({ TableName: name }));
    }
  });
});
