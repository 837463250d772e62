import { describe, expect, it } from 'vitest';
import { blockAllocator } from '../../lib/store/edna.js';
import { table } from '../support/stack.js';

describe('edna numeric ids against DynamoDB Local', () => {
  it('never hands out one number twice, across containers and concurrent calls', async () => {
    const containers = [blockAllocator(table, 7), blockAllocator(table, 7), blockAllocator(table, 3)];
    const numbers = await Promise.all(Array.from({ length: 90 }, (_, i) => containers[i % 3]!.next()));
    expect(new Set(numbers).size).toBe(90);
    expect(numbers.every((n) => Number.isSafeInteger(n) && n > 0)).toBe(true);
  });
});
