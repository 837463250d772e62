import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundle, functionEntries, root } from '../bench/bundles.js';

/**
 * `npm run budgets`: sets a bundle budget for each function that has none yet (bench/budgets.json,
 * checked by test/deploy/bundle-budgets.test.ts): the target, 1.2 times the bare PutItem handler,
 * or the function's size today if it is larger. Existing budgets are only ever tightened, unless
 * `-- --accept` is given: a deliberate growth, which the commit's diff of budgets.json then shows.
 */
const TARGET = 1.2;
const accept = process.argv.includes('--accept');
const file = join(root, 'bench/budgets.json');
const current = JSON.parse(readFileSync(file, 'utf8')) as { functions: Record<string, number> };
const out = mkdtempSync(join(tmpdir(), 'messaging-api-budgets-'));
const baseline = await bundle(join(root, 'bench/baseline.ts'), join(out, 'baseline.mjs'));
const functions: Record<string, number> = {};
for (const [name, entry] of Object.entries(functionEntries())) {
  const size = await bundle(entry, join(out, `${name}.mjs`));
  const fresh = Math.max(Math.ceil(baseline * TARGET), size);
  functions[name] = accept ? fresh : Math.min(current.functions[name] ?? fresh, fresh);
  console.log(`${name.padEnd(24)} ${String(size).padStart(8)} bytes  ${(size / baseline).toFixed(2)}x  budget ${functions[name]}`);
}
writeFileSync(file, `${JSON.stringify({ target: TARGET, functions }, null, 2)}\n`);
rmSync(out, { recursive: true, force: true });
