import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { startStack, type StackPorts } from '../scripts/stack.js';
import { root } from './bundles.js';
import { REPEATS } from './measure.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONCURRENCY = 16;
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 30);
const WARMUP_SLICE_SECONDS = 5;

/** Requests per second at a fixed concurrency for `seconds`; every answer must be 200. */
async function load(url: string, init: RequestInit, seconds: number): Promise<number> {
  const end = performance.now() + seconds * 1000;
  let done = 0;
  const worker = async () => {
    while (performance.now() < end) {
      const response = await fetch(url, init);
      await response.arrayBuffer();
      if (response.status !== 200) throw new Error(`${url} answered ${response.status}`);
      done++;
    }
  };
  const start = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return done / ((performance.now() - start) / 1000);
}

/** BENCH_STACK_PORT moves the bench's local stacks (HTTP on it, the rest at fixed offsets) off ports in use. */
export function benchStackPorts(): StackPorts {
  const port = Number(process.env.BENCH_STACK_PORT ?? 3500);
  return { http: port, lambda: port + 2, dynamodb: port + 5100, eventbridge: port + 1110, sqs: port + 6124 };
}

/**
 * serverless-offline serving the real functions plus the bare baseline handlers and the idiomatic
 * peer (added to a copy of serverless.yml in a scratch copy of the project), loaded in turn, one
 * round each per repeat.
 * The stack runs without its pipelines (send queue, delivery, callbacks): in AWS they run beside the
 * API, not on its cores, and here every stored item would set them working on the bench's two cores.
 */
export async function throughput(): Promise<{ send: number[]; baseline: number[]; item: number[]; peer: number[] }> {
  const work = mkdtempSync(join(tmpdir(), 'messaging-api-bench-offline-'));
  for (const entry of ['package.json', 'tsconfig.json', 'functions', 'lib', 'bench', 'deploy'])
    cpSync(join(root, entry), join(work, entry), { recursive: true });
  symlinkSync(join(root, 'node_modules'), join(work, 'node_modules'));
  const config = parse(readFileSync(join(root, 'serverless.yml'), 'utf8')) as { functions: Record<string, unknown> };
  config.functions['bench-baseline'] = {
    handler: 'bench/baseline.handler',
    events: [{ httpApi: { method: 'POST', path: '/bench/baseline' } }],
  };
  config.functions['bench-baseline-item'] = {
    handler: 'bench/baseline-item.handler',
    events: [{ httpApi: { method: 'POST', path: '/bench/baseline-item' } }],
  };
  config.functions['bench-peer'] = {
    handler: 'bench/peer.handler',
    events: [{ httpApi: { method: 'POST', path: '/bench/peer/{sessionId}/messages' } }],
  };
  writeFileSync(join(work, 'serverless.yml'), stringify(config));

  const ports = benchStackPorts();
  const stack = await startStack(ports, { stdio: 'ignore', logLevel: 'ERROR', watch: false, cwd: work, pipelines: false });
  try {
    const base = `http://127.0.0.1:${ports.http}`;
    // The same request to every side, so that each reads as much.
    const send = {
      method: 'POST',
      headers: { authorization: 'Bearer demo-user-key', 'content-type': 'application/json' },
      body: JSON.stringify({ body: 'throughput' }),
    };
    // Each of the CONCURRENCY workers serverless-offline starts per function (one per concurrent
    // request, like Lambda's containers) compiles and optimises its own copy, which takes thousands of
    // requests: warmed before timing, in slices, since serverless-offline ends a worker idle for a
    // minute. The send first: bench/baseline-item.ts and bench/peer.ts write a copy of the message it stored.
    const routes = {
      send: `${base}/sessions/ses_demo/messages`,
      baseline: `${base}/bench/baseline`,
      item: `${base}/bench/baseline-item`,
      peer: `${base}/bench/peer/ses_demo/messages`,
    };
    for (let warmed = 0; warmed < WARMUP_SECONDS; warmed += WARMUP_SLICE_SECONDS) {
      for (const url of Object.values(routes)) await load(url, send, Math.min(WARMUP_SLICE_SECONDS, WARMUP_SECONDS - warmed));
    }
    const rounds = { send: [] as number[], baseline: [] as number[], item: [] as number[], peer: [] as number[] };
    for (let round = 0; round < REPEATS; round++) {
      for (const [side, url] of Object.entries(routes)) rounds[side as keyof typeof routes].push(await load(url, send, SECONDS));
    }
    return rounds;
  } finally {
    await stack.stop();
    rmSync(work, { recursive: true, force: true });
  }
}
