import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { StdioOptions } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createDocumentClient } from '../lib/store/client.js';
import { startDynamoDbLocal } from './dynamodb-local.js';
import { freePort, startGateway, type Gateway } from './gateway.js';
import { run, waitForPort, type Running } from './processes.js';
import { seed } from './seed.js';
import { pollQueue, startSqsLocal } from './sqs-local.js';
import { runCarrierReports } from './carrier-local.js';
import { invokeLambda, invokeUrl, loop } from './lambda-invoke.js';
import { pollStream, streamSource } from './stream-local.js';
import { createTable } from './table.js';

export interface StackPorts {
  http: number;
  lambda: number;
  dynamodb: number;
  eventbridge: number;
  sqs: number;
}

export interface Stack {
  ports: StackPorts;
  tableName: string;
  /** The DynamoDB holding the table: `DYNAMODB_ENDPOINT` when set, else the stack's own DynamoDB Local. */
  dynamodbEndpoint: string;
  stop(): Promise<void>;
}

/** Dummy credentials: the SDK must never look for real ones, and DynamoDB Local accepts any. */
export const LOCAL_AWS_ENV = {
  AWS_ACCESS_KEY_ID: 'local',
  AWS_SECRET_ACCESS_KEY: 'local',
  AWS_REGION: 'us-east-1',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
};

export const TABLE_NAME = 'messaging-api-dev';
const SERVERLESS = fileURLToPath(new URL('../node_modules/osls/bin/serverless.js', import.meta.url));

/** The DynamoDB the stack uses: an already-running one named by `DYNAMODB_ENDPOINT` (empty is unset), else its own. */
export const dynamodbEndpoint = (ports: StackPorts): string => process.env.DYNAMODB_ENDPOINT || `http://127.0.0.1:${ports.dynamodb}`;

/**
 * Fills in the dummy credentials where none are set, unless the endpoint is AWS's: a dev table in
 * AWS is used with the caller's own credentials, which are never overwritten.
 */
export function useLocalCredentials(endpoint: string): void {
  const aws = /\.amazonaws\.com(\.cn)?$/.test(new URL(endpoint).hostname);
  for (const [name, value] of Object.entries(LOCAL_AWS_ENV)) {
    if (!aws || name === 'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED') process.env[name] ??= value;
  }
}

/**
 * The table with the demo data, and serverless-offline serving every function against it. The
 * DynamoDB is the stack's own DynamoDB Local (in memory), or with `DYNAMODB_ENDPOINT` an
 * already-running one, where the table is created only if missing and the seed is idempotent.
 * `functionsEndpoint` puts something between the functions and DynamoDB (the tests' fault proxy).
 * `pipelines: false` leaves out what runs after an answer (the send queue's poller, delivery,
 * callbacks): the HTTP throughput bench measures the request path alone, as it runs in AWS, where
 * those run on their own, not on the API's two cores.
 * serverless-offline listens on a port of its own, behind the gateway (./gateway.ts) on `ports.http`,
 * which answers a crashed or timed-out function as API Gateway does (500, 503), not with a 200.
 * Used by `npm start` (output shown) and by the tests (output to `stdio`).
 */
export async function startStack(
  ports: StackPorts,
  options: { stdio?: StdioOptions; logLevel?: string; watch?: boolean; cwd?: string; functionsEndpoint?: string; pipelines?: boolean } = {},
): Promise<Stack> {
  const endpoint = dynamodbEndpoint(ports);
  useLocalCredentials(endpoint);
  const db = process.env.DYNAMODB_ENDPOINT ? undefined : await startDynamoDbLocal(ports.dynamodb);
  let offline: Running | undefined;
  let gateway: Gateway | undefined;
  const sqs = await startSqsLocal(ports.sqs).catch(async (error: unknown) => {
    await db?.stop();
    throw error;
  });
  let poller: { stop(): Promise<void> } | undefined;
  // Delivery: the table's stream into dispatch, and the simulated carrier's reports into delivery-status.
  const delivery: { stop(): Promise<void> }[] = [];
  try {
    await createTable(new DynamoDBClient({ endpoint }), TABLE_NAME);
    await seed({ client: createDocumentClient({ tableName: TABLE_NAME, endpoint }), name: TABLE_NAME });
    const offlinePort = await freePort();
    offline = run(process.execPath, [SERVERLESS, 'offline', 'start', '--stage', 'dev'], {
      stdio: options.stdio ?? 'inherit',
      cwd: options.cwd,
      env: {
        ...process.env,
        HTTP_PORT: String(offlinePort),
        LAMBDA_PORT: String(ports.lambda),
        EVENTBRIDGE_PORT: String(ports.eventbridge),
        EVENTBRIDGE_PUBSUB_PORT: String(ports.eventbridge + 1),
        DYNAMODB_ENDPOINT: options.functionsEndpoint ?? endpoint,
        SQS_ENDPOINT: sqs.endpoint,
        SEND_DLQ_URL: sqs.queues.sendDlq.url,
        EVENT_DLQ_URL: sqs.queues.eventDlq.url,
        CALLBACK_QUEUE_URL: sqs.queues.callbacks.url,
        CALLBACK_DLQ_URL: sqs.queues.callbackDlq.url,
        // Locally, callbacks may go to a receiver on this machine (loopback, http).
        CALLBACK_ALLOW_PRIVATE: 'true',
        // The sweeper talks to DynamoDB itself, past the tests' fault proxy: the tests count and fault the request path.
        SWEEPER_DYNAMODB_ENDPOINT: endpoint,
        SWEEP_UNDISPATCHED_AFTER_SECONDS: process.env.SWEEP_UNDISPATCHED_AFTER_SECONDS ?? String(LOCAL_SWEEP_AFTER_SECONDS),
        SWEEP_STALE_CLAIM_AFTER_SECONDS: process.env.SWEEP_STALE_CLAIM_AFTER_SECONDS ?? String(LOCAL_SWEEP_AFTER_SECONDS),
        POWERTOOLS_LOG_LEVEL: options.logLevel ?? 'INFO',
        ...(options.watch === false ? { ESBUILD_WATCH_PATTERN: './.no-rebuilds' } : {}),
      },
    });
    await waitForPort(offlinePort, 'serverless-offline', offline, 120_000);
    gateway = await startGateway(ports.http, offlinePort);
    if (options.pipelines !== false) {
      poller = pollQueue(
        sqs,
        sqs.queues.send,
        `http://127.0.0.1:${ports.lambda}/2015-03-31/functions/messaging-api-dev-send-from-queue/invocations`,
      );
      delivery.push(await pollStream(endpoint, TABLE_NAME, invokeUrl(ports.lambda, 'dispatch'), streamSource('dispatch')));
      // Callbacks: the table's stream into callback-events, the callback queue into callback-send.
      delivery.push(await pollStream(endpoint, TABLE_NAME, invokeUrl(ports.lambda, 'callback-events'), streamSource('callback-events')));
      delivery.push(pollQueue(sqs, sqs.queues.callbacks, invokeUrl(ports.lambda, 'callback-send')));
      delivery.push(
        runCarrierReports(
          { client: createDocumentClient({ tableName: TABLE_NAME, endpoint }), name: TABLE_NAME },
          invokeUrl(ports.lambda, 'delivery-status'),
        ),
      );
      delivery.push(runSweeper(invokeUrl(ports.lambda, 'sweeper'), Number(process.env.SWEEP_INTERVAL_MS ?? LOCAL_SWEEP_INTERVAL_MS)));
    }
  } catch (error) {
    for (const running of delivery) await running.stop();
    await poller?.stop();
    await gateway?.stop();
    await offline?.stop();
    await sqs.stop();
    await db?.stop();
    throw error;
  }
  return {
    ports,
    tableName: TABLE_NAME,
    dynamodbEndpoint: endpoint,
    async stop() {
      for (const running of delivery) await running.stop();
      await poller?.stop();
      await gateway?.stop();
      await offline?.stop();
      await sqs.stop();
      await db?.stop();
    },
  };
}

/**
 * The sweeper in the local stack, besides serverless-offline's own 5-minute schedule: every
 * SWEEP_INTERVAL_MS, and messages count as stuck after SWEEP_UNDISPATCHED_AFTER_SECONDS and
 * SWEEP_STALE_CLAIM_AFTER_SECONDS (15 s here, 15 and 10 minutes in AWS), so a lost dispatch is seen
 * mended while one waits.
 */
export const LOCAL_SWEEP_INTERVAL_MS = 2000;
export const LOCAL_SWEEP_AFTER_SECONDS = 15;

function runSweeper(url: string, intervalMs: number): { stop(): Promise<void> } {
  return loop('Sweeper', intervalMs, async (signal) => {
    const outcome = await invokeLambda(url, { source: 'aws.events', 'detail-type': 'Scheduled Event', detail: {} }, signal);
    if (!outcome.ok) console.error(`Sweeper: ${outcome.error}`);
    return false;
  });
}

export function portsFromEnv(defaults: StackPorts): StackPorts {
  const port = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
  return {
    http: port('HTTP_PORT', defaults.http),
    lambda: port('LAMBDA_PORT', defaults.lambda),
    dynamodb: port('DYNAMODB_PORT', defaults.dynamodb),
    eventbridge: port('EVENTBRIDGE_PORT', defaults.eventbridge),
    sqs: port('SQS_PORT', defaults.sqs),
  };
}
