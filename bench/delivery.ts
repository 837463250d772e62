/**
 * Delivery figures (issue 14), through the local stack: serverless-offline, the stream poller into
 * dispatch, the simulated carrier. Run alone with `npx tsx bench/delivery.ts`, or as part of `npm run bench`.
 * Knobs: BENCH_DELIVERY_MESSAGES (latency sample), BENCH_DELIVERY_CONCURRENCY, BENCH_REPEATS (latency and
 * throughput are measured that many times).
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { fileURLToPath } from 'node:url';
import { createDocumentClient } from '../lib/store/client.js';
import { keys } from '../lib/store/keys.js';
import { dynamodbEndpoint, portsFromEnv, startStack, TABLE_NAME, type StackPorts } from '../scripts/stack.js';
import { startFaultProxy } from '../test/support/fault-proxy.js';
import { median, percentile, printTable, REPEATS, row, type Row } from './measure.js';

const MESSAGES = Number(process.env.BENCH_DELIVERY_MESSAGES ?? 200);
const CONCURRENCY = Number(process.env.BENCH_DELIVERY_CONCURRENCY ?? 10);
const WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'TransactWriteItems', 'BatchWriteItem']);

export async function deliveryFigures(ports: StackPorts): Promise<{ rows: Row[]; costs: Record<string, object> }> {
  // The functions reach DynamoDB through a proxy that logs each call with the keys it names: the cost
  // of a delivery is read from the calls on its message's DELIVERY# item.
  const proxy = await startFaultProxy(dynamodbEndpoint(ports));
  const stack = await startStack(ports, { stdio: 'ignore', logLevel: 'ERROR', watch: false, functionsEndpoint: proxy.url });
  const table = { client: createDocumentClient({ tableName: TABLE_NAME, endpoint: stack.dynamodbEndpoint }), name: TABLE_NAME };
  const get = async (key: { pk: string; sk: string }) =>
    (await table.client.send(new GetCommand({ TableName: table.name, Key: key, ConsistentRead: true }))).Item;
  const send = async (i: number): Promise<string> => {
    const response = await fetch(`http://127.0.0.1:${ports.http}/sessions/ses_demo/messages`, {
      method: 'POST',
      headers: { authorization: 'Bearer demo-user-key', 'content-type': 'application/json' },
      body: JSON.stringify({ body: `bench delivery ${i} ${'x'.repeat(140)}` }),
    });
    const json = (await response.json()) as { id: string };
    if (response.status !== 200) throw new Error(`bench send answered ${response.status}`);
    return json.id;
  };
  const settled = async (ids: string[], status: string) => {
    for (const id of ids) {
      for (let waited = 0; (await get(keys.delivery(id)))?.status !== status; waited += 50) {
        if (waited > 60_000) throw new Error(`message ${id} not ${status} after 60 s`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
  };
  try {
    // Warm-up: every function's first invocation builds its bundle and container.
    await settled([await send(-1)], 'delivered');

    // Per repeat: the latency's median and p99, and the hand-offs per second.
    const figures = { median: [] as number[], p99: [] as number[], perSecond: [] as number[] };
    for (let r = 0; r < REPEATS; r++) {
      // 1. Accepted (the message's date, stamped by the send) to handed off (the carrier's stamp), one
      // message at a time (each sent once the previous one is delivered): the latency without a queue.
      const sequential: string[] = [];
      for (let i = 0; i < Math.min(MESSAGES, 100); i++) {
        sequential.push(await send(i));
        await settled(sequential.slice(-1), 'delivered');
      }
      const latency = await Promise.all(
        sequential.map(async (id) => {
          const [message, handoff] = await Promise.all([get(keys.message('ses_demo', id)), get(keys.carrierHandoff(id))]);
          return Date.parse(String(handoff!.handedOffAt)) - Date.parse(String(message!.date));
        }),
      );
      figures.median.push(median(latency));
      figures.p99.push(percentile(latency, 99));

      // 2. Throughput: MESSAGES sends at CONCURRENCY, timed from the first send to the last hand-off.
      const start = Date.now();
      const burst: string[] = [];
      let next = 0;
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          while (next < MESSAGES) burst.push(await send(1000 + next++));
        }),
      );
      await settled(burst, 'delivered');
      const handedOff = await Promise.all(burst.map(async (id) => Date.parse(String((await get(keys.carrierHandoff(id)))!.handedOffAt))));
      figures.perSecond.push(burst.length / ((Math.max(...handedOff) - start) / 1000));
    }

    // 3. DynamoDB cost of a delivered message: the calls on its DELIVERY# item (claim, outcome, each
    // report); the simulated carrier's own records are the provider's side and not counted.
    proxy.resetCalls();
    const counted: string[] = [];
    for (let i = 0; i < 20; i++) counted.push(await send(5000 + i));
    await settled(counted, 'delivered');
    await new Promise((resolve) => setTimeout(resolve, 500));
    const calls = proxy.calls().filter((c) => c.keys.some((k) => k.startsWith('DELIVERY#')));
    const writes = calls.filter((c) => WRITES.has(c.operation)).length / counted.length;
    const reads = calls.filter((c) => !WRITES.has(c.operation)).length / counted.length;
    const size = JSON.stringify(await get(keys.delivery(counted[0]!))).length;
    // Per message: status changes applied (the claim's `sending` and each later one; `accepted` is the
    // message itself), and reports kept unapplied (a carrier report that overtook the dispatcher's own
    // `sent`): each of those is a failed conditional write and an append.
    const histories = await Promise.all(counted.map(async (id) => (await get(keys.delivery(id)))!.history as { applied: boolean }[]));
    const changes = histories.reduce((sum, h) => sum + h.filter((e) => e.applied).length - 1, 0) / counted.length;
    const kept = histories.reduce((sum, h) => sum + h.filter((e) => !e.applied).length, 0) / counted.length;

    const rows: Row[] = [
      row('delivery: accepted to handed off (one at a time), median', 'ms', {}, figures.median),
      row('delivery: accepted to handed off (one at a time), p99', 'ms', { max: 1000 }, figures.p99),
      row(`delivery: hand-offs per second (sends at concurrency ${CONCURRENCY}, one stream shard)`, '/s', {}, figures.perSecond),
      {
        figure: 'delivery: DynamoDB cost of a delivered message',
        measured: `${writes.toFixed(2)} writes, ${reads.toFixed(2)} reads: ${changes.toFixed(2)} status changes, ${kept.toFixed(2)} reports kept`,
        baseline: `item ${(size / 1024).toFixed(2)} KB: 1 WCU per write`,
        ratio: null,
        target: '1 conditional write per status change (+2 per kept report)',
        pass: writes <= changes + 2 * kept + 0.01,
      },
    ];
    return {
      rows,
      costs: {
        delivery: {
          writes,
          reads,
          changes,
          kept,
          itemBytes: size,
          latencyMs: { median: figures.median, p99: figures.p99 },
          handoffsPerSecond: figures.perSecond,
        },
      },
    };
  } finally {
    await stack.stop();
    await proxy.close();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { rows } = await deliveryFigures(portsFromEnv({ http: 3300, lambda: 3302, dynamodb: 8300, eventbridge: 4310, sqs: 9330 }));
  printTable(rows);
}
