import { describe, expect, it } from 'vitest';
import { pooledRandom, ulidGenerator } from '../../lib/ids.js';

describe('ids', () => {
  it('draws fractions k/256 in [0, 1) from a pool, across refills, every byte value in turn', () => {
    const random = pooledRandom(64);
    const seen = new Set<number>();
    for (let i = 0; i < 64 * 400; i++) {
      const value = random();
      expect(value).toBeGreaterThanOrEqual(0);
      expect(value).toBeLessThan(1);
      expect(Number.isInteger(value * 256)).toBe(true);
      seen.add(value * 256);
    }
    expect(seen.size).toBe(256);
  });

  it('makes distinct ULIDs in increasing order, with random parts over the whole alphabet', () => {
    const ids = ulidGenerator();
    const made = Array.from({ length: 5000 }, () => ids.next());
    for (const id of made) expect(id).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(new Set(made).size).toBe(made.length);
    expect([...made].sort()).toEqual(made);
    expect(new Set(made.map((id) => id[25])).size).toBe(32);
  });
});
