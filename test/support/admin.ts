import { runAdmin } from '../../scripts/admin/cli.js';
import { table } from './stack.js';

/** Runs the CLI in process against the test table; returns its exit code, output and parsed --json output. */
export async function admin(...argv: string[]) {
  let out = '';
  let err = '';
  const code = await runAdmin(argv, () => ({ table, now: () => new Date() }), { out: (t) => (out += t), err: (t) => (err += t) });
  let json: any;
  try {
    json = JSON.parse(out);
  } catch {
    json = undefined;
  }
  return { code, out, err, json };
}
