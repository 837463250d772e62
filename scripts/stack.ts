import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { StdioOptions } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createDocumentClient } from '../lib/store/client.js';
import { startDynamoDbLocal } from './dynamodb-local.js';
import { run, waitForPort, type Running } from './processes.js';
import { seed } from './seed.js';
import { pollQueue, startSqsLocal } from './sqs-local.js';
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
  dynamodbEndpoint: string;
  /** An outage: stop DynamoDB Local, then start it again (on disk with `dbPath`, so data survives). */
  stopDynamoDb(): Promise<void>;
  startDynamoDb(): Promise<void>;
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

/**
 * DynamoDB Local with the table and demo data, and serverless-offline serving every function
 * against it. Used by `npm start` (output shown) and by the tests (output to `offlineStdio`).
 */
export async function startStack(
  ports: StackPorts,
  options: { stdio?: StdioOptions; logLevel?: string; watch?: boolean; dbPath?: string; cwd?: string } = {},
): Promise<Stack> {
  Object.assign(process.env, LOCAL_AWS_ENV);
  const dynamodbEndpoint = `http://127.0.0.1:${ports.dynamodb}`;
  const startDb = async () => {
    const db = await startDynamoDbLocal(ports.dynamodb, { dbPath: options.dbPath });
    try {
      await createTable(new DynamoDBClient({ endpoint: dynamodbEndpoint }), TABLE_NAME);
      await seed({ client: createDocumentClient({ tableName: TABLE_NAME, endpoint: dynamodbEndpoint }), name: TABLE_NAME });
      return db;
    } catch (error) {
      await db.stop();
      throw error;
    }
  };
  let db: Running | undefined = await startDb();
  let offline: Running | undefined;
  const sqs = await startSqsLocal(ports.sqs).catch(async (error: unknown) => {
    await db?.stop();
    throw error;
  });
  let poller: { stop(): Promise<void> } | undefined;
  try {
    offline = run(process.execPath, [SERVERLESS, 'offline', 'start', '--stage', 'dev'], {
      stdio: options.stdio ?? 'inherit',
      cwd: options.cwd,
      env: {
        ...process.env,
        HTTP_PORT: String(ports.http),
        LAMBDA_PORT: String(ports.lambda),
        EVENTBRIDGE_PORT: String(ports.eventbridge),
        EVENTBRIDGE_PUBSUB_PORT: String(ports.eventbridge + 1),
        DYNAMODB_ENDPOINT: dynamodbEndpoint,
        SQS_ENDPOINT: sqs.endpoint,
        SEND_DLQ_URL: sqs.queues.sendDlq.url,
        EVENT_DLQ_URL: sqs.queues.eventDlq.url,
        POWERTOOLS_LOG_LEVEL: options.logLevel ?? 'INFO',
        ...(options.watch === false ? { ESBUILD_WATCH_PATTERN: './.no-rebuilds' } : {}),
      },
    });
    await waitForPort(ports.http, 'serverless-offline', offline, 120_000);
    poller = pollQueue(sqs, sqs.queues.send, `http://127.0.0.1:${ports.lambda}/2015-03-31/functions/messaging-api-dev-send-from-queue/invocations`);
  } catch (error) {
    await offline?.stop();
    await sqs.stop();
    await db.stop();
    throw error;
  }
  return {
    ports,
    tableName: TABLE_NAME,
    dynamodbEndpoint,
    async stopDynamoDb() {
      await db?.stop();
      db = undefined;
    },
    async startDynamoDb() {
      db ??= await startDb();
    },
    async stop() {
      await poller?.stop();
      await offline?.stop();
      await sqs.stop();
      await db?.stop();
    },
  };
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
