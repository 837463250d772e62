/**
 * `npm run bench:profile`: where a warm send's CPU time goes, next to the bare baseline's. Both are
 * bundled as serverless.yml bundles them (not minified, so that esbuild's `// node_modules/...`
 * comments name each module), warmed in process against DynamoDB Local, then sampled by V8's
 * profiler over BENCH_ITERATIONS calls each. Prints self time per call by package or source file,
 * biggest difference first. Timing, like `npm run bench`, not a test.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { Session, type Profiler } from 'node:inspector/promises';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDocumentClient } from '../lib/store/client.js';
import { startDynamoDbLocal } from '../scripts/dynamodb-local.js';
import { seed } from '../scripts/seed.js';
import { LOCAL_AWS_ENV, TABLE_NAME } from '../scripts/stack.js';
import { createTable } from '../scripts/table.js';
import { bundle, functionEntries, root } from './bundles.js';
import { context, dropMetricLines, httpEvent, loadHandler, type Handler } from './lambda.js';
import { median } from './measure.js';

const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 2000);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 500);
const DYNAMODB_PORT = Number(process.env.DYNAMODB_PORT ?? 8500);
// Every function reads DELIVERY_PROVIDERS at start (a deployed stage names each channel's provider).
Object.assign(process.env, LOCAL_AWS_ENV, { POWERTOOLS_LOG_LEVEL: 'ERROR', DELIVERY_PROVIDERS: '*=simulated' });
dropMetricLines();

/** Which module each line of a readable bundle belongs to: esbuild heads each module's code with its path. */
function modulesOf(file: string): (line: number) => string {
  const heads = readFileSync(file, 'utf8')
    .split('\n')
    .flatMap((text, line) =>
      /^\/\/ (node_modules|lib|functions|bench)\//.test(text)
        ? [{ line, name: text.slice(3).replace(/^node_modules\/((@[^/]+\/)?[^/]+)\/.*/, '$1') }]
        : [],
    );
  return (line) => heads.filter((head) => head.line <= line).at(-1)?.name ?? '(bundle)';
}

/** Self time per call, in µs, by module of the bundle (or Node's own, or V8's idle, GC, program). */
function selfTimes(profile: Profiler.Profile, file: string, calls: number): Map<string, number> {
  const moduleAt = modulesOf(file);
  const groupOf = (frame: Profiler.ProfileNode['callFrame']) =>
    frame.url.includes(file)
      ? moduleAt(frame.lineNumber)
      : frame.url === ''
        ? `(${frame.functionName.replace(/[()]/g, '')})`
        : frame.url.startsWith('node:')
          ? '(node)'
          : '(other)';
  const groups = new Map(profile.nodes.map((node) => [node.id, groupOf(node.callFrame)]));
  const times = new Map<string, number>();
  profile.samples!.forEach((id, i) => {
    const group = groups.get(id)!;
    times.set(group, (times.get(group) ?? 0) + profile.timeDeltas![i]! / calls);
  });
  return times;
}

const out = mkdtempSync(join(tmpdir(), 'messaging-api-profile-'));
const files = { baseline: join(out, 'baseline.mjs'), send: join(out, 'send-to-session.mjs'), item: join(out, 'baseline-item.mjs') };
await bundle(join(root, 'bench/baseline.ts'), files.baseline, { readable: true });
await bundle(functionEntries()['send-to-session']!, files.send, { readable: true });
await bundle(join(root, 'bench/baseline-item.ts'), files.item);

const endpoint = `http://127.0.0.1:${DYNAMODB_PORT}`;
const db = await startDynamoDbLocal(DYNAMODB_PORT);
try {
  await createTable(new DynamoDBClient({ endpoint }), TABLE_NAME);
  await seed({ client: createDocumentClient({ tableName: TABLE_NAME, endpoint }), name: TABLE_NAME });
  const local = { TABLE_NAME, DYNAMODB_ENDPOINT: endpoint };
  const text = 'x'.repeat(600);
  const sides: ['baseline' | 'send', Handler, () => unknown][] = [
    ['baseline', await loadHandler(files.baseline, local), () => ({ body: JSON.stringify({ body: text }) })],
    [
      'send',
      await loadHandler(files.send, local),
      () =>
        httpEvent(
          'POST',
          '/sessions/ses_demo/messages',
          { body: text },
          { pathParameters: { sessionId: 'ses_demo' }, headers: { authorization: 'Bearer demo-user-key' } },
        ),
    ],
  ];
  const call = async (handler: Handler, event: unknown) => {
    const { statusCode } = await handler(event, context());
    if (statusCode !== 200) throw new Error(`bench send answered ${statusCode}`);
  };
  for (let i = 0; i < WARMUP; i++) for (const [, handler, event] of sides) await call(handler, event());
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 50 });
  const measured = new Map<string, Map<string, number>>();
  for (const [name, handler, event] of sides) {
    await session.post('Profiler.start');
    for (let i = 0; i < ITERATIONS; i++) await call(handler, event());
    const { profile } = await session.post('Profiler.stop');
    measured.set(name, selfTimes(profile, files[name], ITERATIONS));
  }
  const [base, send] = [measured.get('baseline')!, measured.get('send')!];
  const busy = (times: Map<string, number>) => [...times].filter(([group]) => group !== '(idle)').reduce((sum, [, us]) => sum + us, 0);
  const groups = [...new Set([...base.keys(), ...send.keys()])].sort(
    (a, b) => (send.get(b) ?? 0) - (base.get(b) ?? 0) - ((send.get(a) ?? 0) - (base.get(a) ?? 0)),
  );
  const line = (cells: string[]) => console.log(cells.map((cell, i) => (i ? cell.padStart(10) : cell.padEnd(48))).join(' '));
  line(['µs per call (self time)', 'baseline', 'send', 'difference']);
  line(['busy (all but idle)', busy(base).toFixed(0), busy(send).toFixed(0), (busy(send) - busy(base)).toFixed(0)]);
  for (const group of groups) {
    const [b, s] = [base.get(group) ?? 0, send.get(group) ?? 0];
    if (Math.abs(s - b) >= 1 || s >= 5) line([group, b.toFixed(1), s.toFixed(1), (s - b).toFixed(1)]);
  }

  // DynamoDB Local's share: the bare baseline against bench/baseline-item.ts, which puts a stored
  // message (its three index keys, the send's condition), alternately; waiting, not CPU above.
  const stores: ['baseline' | 'item', Handler, () => unknown][] = [
    ['baseline', sides[0]![1], sides[0]![2]],
    ['item', await loadHandler(files.item, local), () => ({})],
  ];
  const times = { baseline: [] as number[], item: [] as number[] };
  for (let i = 0; i < ITERATIONS; i++) {
    for (const [name, handler, event] of stores) {
      const start = performance.now();
      await call(handler, event());
      times[name].push((performance.now() - start) * 1000);
    }
  }
  line([
    'PutItem round trip, median µs',
    median(times.baseline).toFixed(0),
    median(times.item).toFixed(0),
    (median(times.item) - median(times.baseline)).toFixed(0),
  ]);
} finally {
  await db.stop();
  rmSync(out, { recursive: true, force: true });
}
