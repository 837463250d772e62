import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bundle, functionEntries, root } from '../../bench/bundles.js';

/**
 * Every function's bundle stays within its budget (bench/budgets.json), so that later work can not
 * grow one unnoticed. Sizes are deterministic for a locked install: this is not a timing test.
 * A budget is the target (1.2 times the bare PutItem handler) where a function meets it, else the
 * size it had when the budget was set; never looser. `npm run bench` shows where the bytes go.
 */
const budgets = JSON.parse(readFileSync(join(root, 'bench/budgets.json'), 'utf8')) as { target: number; functions: Record<string, number> };
const out = mkdtempSync(join(tmpdir(), 'messaging-api-budgets-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));
const baseline = await bundle(join(root, 'bench/baseline.ts'), join(out, 'baseline.mjs'));

describe('bundle budgets', () => {
  it('gives every function of serverless.yml a budget, and no budget to a function that is gone', () => {
    expect(Object.keys(budgets.functions).sort()).toEqual(Object.keys(functionEntries()).sort());
  });

  it.each(Object.entries(functionEntries()))('%s fits its budget', async (name, entry) => {
    const size = await bundle(entry, join(out, `${name}.mjs`));
    const budget = budgets.functions[name]!;
    expect(budget, 'a budget is never looser than the size it was set at').toBeLessThanOrEqual(
      Math.max(size, Math.ceil(baseline * budgets.target)) + 1024,
    );
    expect(size, `${name}: ${size} bytes, budget ${budget}`).toBeLessThanOrEqual(budget);
  });
});
