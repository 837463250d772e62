import { describe, expect, it } from 'vitest';
import { seed } from '../../scripts/seed.js';
import { allItems, table } from '../support/stack.js';

const byKey = (items: Record<string, unknown>[]) => [...items].sort((a, b) => `${a.pk} ${a.sk}`.localeCompare(`${b.pk} ${b.sk}`));

describe('seed', () => {
  // A shared DynamoDB (DYNAMODB_ENDPOINT) is seeded by every stack that starts against it.
  it('can run again on a seeded table: it neither fails nor adds or changes an item', async () => {
    const before = byKey(await allItems());
    await seed(table);
    expect(byKey(await allItems())).toEqual(before);
  });
});
