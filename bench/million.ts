import { context, type Handler } from './lambda.js';
import { median } from './measure.js';
import type { Tally } from './cost.js';

/**
 * What a million requests cost in us-east-1, on-demand, without free tiers (list prices as published
 * in November 2026; check https://aws.amazon.com/{api-gateway,lambda,dynamodb,cloudwatch}/pricing/).
 */
export const PRICES = {
  /** API Gateway HTTP API, per million requests (first 300 million a month; requests up to 512 KB). */
  httpApiPerMillion: 1.0,
  /** Lambda, per million requests. */
  lambdaRequestsPerMillion: 0.2,
  /** Lambda on arm64 (Graviton), per GB-second, billed per 1 ms (first 7.5 billion GB-s a month). */
  lambdaArmPerGbSecond: 0.0000133334,
  /** DynamoDB on-demand, per million write request units (1 KB each; every index written counts; a transaction twice). */
  dynamodbWritePerMillion: 0.625,
  /** DynamoDB on-demand, per million read request units (4 KB strongly consistent, or 8 KB eventually consistent). */
  dynamodbReadPerMillion: 0.125,
  /** CloudWatch Logs ingestion, per GB (standard class): the metrics' EMF lines and Lambda's own lines. */
  logsPerGb: 0.5,
};

/** An eventually consistent read of an item up to 4 KB is half a read request unit (a strongly consistent one, a whole). */
export const EVENTUALLY_CONSISTENT_READ_UNITS = 0.5;

/**
 * How long a container trusts a recipient's opt-out state once read (issue 24's send-side cache):
 * a send reads `OPTOUTS#<account>/NUMBER#<e164>` (eventually consistent) only when its container has
 * not read that recipient within this time. A revocation of consent has days to take effect by law.
 */
export const CONSENT_CACHE_SECONDS = 30;

/**
 * A send with the consent check's read added, where the send measured did not make it itself: the
 * read's units, and its round trip as Lambda time. `measuredReads` is how many opt-out reads the cost
 * proxy saw per send; once the send path reads the record, the figure is measured, not modelled.
 */
export function withConsentRead(send: PerRequest, readMs: number, measuredReads: number): PerRequest {
  const missing = Math.max(0, 1 - measuredReads);
  return {
    ...send,
    warmMs: send.warmMs + missing * readMs,
    dynamodb: {
      ...send.dynamodb,
      reads: send.dynamodb.reads + missing,
      readUnits: send.dynamodb.readUnits + missing * EVENTUALLY_CONSISTENT_READ_UNITS,
    },
  };
}

/** The median round trip of an eventually consistent GetItem of `key` (a missing item reads as much), after 10 warm-ups. */
export async function readRoundTripMs(read: () => Promise<unknown>, n = 50): Promise<number> {
  for (let i = 0; i < 10; i++) await read();
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const start = performance.now();
    await read();
    times.push(performance.now() - start);
  }
  return median(times);
}

/** Lambda's START, END and REPORT lines per invocation, about this many bytes (not measured here). */
export const PLATFORM_LOG_BYTES = 350;

export interface PerRequest {
  /** Median warm duration in ms (billed rounded up to the ms). */
  warmMs: number;
  memoryMb: number;
  dynamodb: Tally;
  /** Bytes the function itself logged per request (EMF metric lines; logs at INFO and above). */
  logBytes: number;
}

export interface MillionCost {
  http: number;
  lambda: number;
  dynamodb: number;
  logs: number;
  total: number;
}

export function costOfAMillion({ warmMs, memoryMb, dynamodb, logBytes }: PerRequest): MillionCost {
  const http = PRICES.httpApiPerMillion;
  const lambda = PRICES.lambdaRequestsPerMillion + 1e6 * (Math.ceil(warmMs) / 1000) * (memoryMb / 1024) * PRICES.lambdaArmPerGbSecond;
  // A million requests of n units each: n million units.
  const db = dynamodb.writeUnits * PRICES.dynamodbWritePerMillion + dynamodb.readUnits * PRICES.dynamodbReadPerMillion;
  const logs = ((1e6 * (logBytes + PLATFORM_LOG_BYTES)) / 1024 ** 3) * PRICES.logsPerGb;
  return { http, lambda, dynamodb: db, logs, total: http + lambda + db + logs };
}

/** The median warm duration of `n` requests, and the bytes the handler wrote to stdout per request. */
export async function warmProfile(handler: Handler, event: () => unknown, n = 100): Promise<{ warmMs: number; logBytes: number }> {
  for (let i = 0; i < 10; i++) await handler(event(), context());
  let bytes = 0;
  const write = process.stdout.write;
  // Counted, not shown: the bench's table stays readable.
  process.stdout.write = ((chunk: string | Uint8Array) => {
    bytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
    return true;
  }) as typeof process.stdout.write;
  const times: number[] = [];
  try {
    for (let i = 0; i < n; i++) {
      const start = performance.now();
      const { statusCode } = await handler(event(), context());
      times.push(performance.now() - start);
      if (statusCode !== 200) throw new Error(`bench request answered ${statusCode}`);
    }
  } finally {
    process.stdout.write = write;
  }
  return { warmMs: median(times), logBytes: bytes / n };
}

export const dollars = (cost: MillionCost): string =>
  `$${cost.total.toFixed(2)} (HTTP API $${cost.http.toFixed(2)}, Lambda $${cost.lambda.toFixed(2)}, DynamoDB $${cost.dynamodb.toFixed(2)}, logs $${cost.logs.toFixed(2)})`;
