import { describe, expect, it } from 'vitest';
import { dynamoStatementsOf, prod } from './template.js';

const { template, artifacts } = prod();

describe('optouts: role', () => {
  it('lets the opt-out routes read keys and touch the OPTOUTS# partitions only, never delete', () => {
    expect(dynamoStatementsOf(template, 'optouts').map((s) => [s.actions, s.leadingKeys])).toEqual([
      [['dynamodb:GetItem'], ['CREDENTIAL#*', 'OPTOUTS#*']],
      [['dynamodb:Query', 'dynamodb:PutItem'], ['OPTOUTS#*']],
    ]);
    expect(artifacts).toContain('optouts.zip');
  });
});
