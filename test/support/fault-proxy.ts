import { once } from 'node:events';
import {
  Agent as HttpAgent,
  createServer,
  request as httpRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { Socket } from 'node:net';
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import * as z from 'zod/mini';

/**
 * A fault rule: the first unspent rule whose `operation` and prefixes match a request decides its fate.
 * - `drop-response`: forwarded and applied by DynamoDB, but the caller never hears (the socket is held
 *   until the caller gives up): the ambiguous write.
 * - `reset`: the caller's connection is reset before anything is forwarded: the write never lands.
 * - `delay`: forwarded, and the answer held back `delayMs`.
 * - `error`: answered without forwarding, with `status` (400) and `errorType` (`ThrottlingException`;
 *   `InternalServerError` for a 5xx), as DynamoDB answers them, so the SDK raises that error by name.
 */
export const faultRule = z.strictObject({
  operation: z.optional(z.string()),
  /** Some item the request names has a partition key (`pk`) starting with this. */
  keyPrefix: z.optional(z.string()),
  /** ... and that same item's sort key (`sk`) starts with this: `MESSAGE#` tells a message from its session. */
  sortKeyPrefix: z.optional(z.string()),
  action: z.enum(['drop-response', 'reset', 'delay', 'error']),
  delayMs: z.optional(z.number()),
  status: z.optional(z.number()),
  errorType: z.optional(z.string()),
  /** How many matching requests the rule applies to; then it is spent. Default: all. */
  times: z.optional(z.number()),
});
export type FaultRule = z.infer<typeof faultRule>;

/** One request as the proxy saw it. `sortKeys[i]` is the sort key of `keys[i]` ('' when the request names none). */
export interface Call {
  operation: string;
  keys: string[];
  sortKeys: string[];
  action?: FaultRule['action'];
}

export type CallFilter = Pick<FaultRule, 'operation' | 'keyPrefix' | 'sortKeyPrefix'>;

/** True when the call is of the filter's operation and names an item under its prefixes. */
export function matches(filter: CallFilter, call: Omit<Call, 'action'>): boolean {
  if (filter.operation !== undefined && filter.operation !== call.operation) return false;
  if (filter.keyPrefix === undefined && filter.sortKeyPrefix === undefined) return true;
  return call.keys.some(
    (pk, i) => pk.startsWith(filter.keyPrefix ?? '') && (call.sortKeys[i] ?? '').startsWith(filter.sortKeyPrefix ?? ''),
  );
}

type AttributeMap = Record<string, { S?: string } | undefined>;
interface Addressed {
  Item?: AttributeMap;
  Key?: AttributeMap;
}

/** The table's key attributes (serverless.yml). */
const PK = 'pk';
const SK = 'sk';

/**
 * The items a DynamoDB JSON request names, as [pk, sk] pairs: `Item` or `Key` at the top (PutItem,
 * GetItem, UpdateItem, DeleteItem), in each `TransactItems` entry, in `RequestItems` (BatchGet,
 * BatchWrite), and a Query's key condition.
 */
function itemsOf(input: Record<string, any>): [string, string][] {
  const addressed: Addressed[] = [
    input,
    ...(input.TransactItems ?? []).flatMap((entry: Record<string, Addressed>) => Object.values(entry)),
    ...Object.values<any>(input.RequestItems ?? {}).flatMap((request) =>
      Array.isArray(request)
        ? request.map((write) => write.PutRequest ?? write.DeleteRequest ?? {})
        : (request.Keys ?? []).map((Key: AttributeMap) => ({ Key })),
    ),
  ];
  const items = addressed.flatMap(({ Item, Key }) => {
    const key = Item ?? Key;
    return key?.[PK]?.S === undefined ? [] : [[key[PK].S, key[SK]?.S ?? ''] as [string, string]];
  });
  return input.KeyConditionExpression || input.KeyConditions ? [...items, keyCondition(input)] : items;
}

/** The values a Query's key condition compares `pk` and `sk` with (`#name`s and `:values` resolved). */
function keyCondition(input: Record<string, any>): [string, string] {
  const names: Record<string, string> = input.ExpressionAttributeNames ?? {};
  const values: AttributeMap = input.ExpressionAttributeValues ?? {};
  const bound: Record<string, string> = {};
  const expression = String(input.KeyConditionExpression ?? '');
  const comparison = /begins_with\s*\(\s*([#\w]+)\s*,\s*(:\w+)\s*\)|([#\w]+)\s*(?:=|<=|>=|<|>|BETWEEN)\s*(:\w+)/gi;
  for (const [, fnName, fnValue, name, value] of expression.matchAll(comparison)) {
    const attribute = names[(fnName ?? name)!] ?? (fnName ?? name)!;
    bound[attribute] ??= values[(fnValue ?? value)!]?.S ?? '';
  }
  for (const [attribute, condition] of Object.entries<any>(input.KeyConditions ?? {}))
    bound[attribute] ??= condition.AttributeValueList?.[0]?.S ?? '';
  return [bound[PK] ?? '', bound[SK] ?? ''];
}

const DECODERS: Record<string, (body: Buffer) => Buffer> = { gzip: gunzipSync, deflate: inflateSync, br: brotliDecompressSync };

/** What a request is about, for matching and the log; an unreadable body names no items. */
function callOf(headers: IncomingHttpHeaders, body: Buffer): Omit<Call, 'action'> {
  const operation = String(headers['x-amz-target'] ?? '').split('.')[1] ?? '';
  try {
    const decode = DECODERS[String(headers['content-encoding'] ?? '')];
    const items = itemsOf(JSON.parse((decode ? decode(body) : body).toString('utf8')));
    return { operation, keys: items.map(([pk]) => pk), sortKeys: items.map(([, sk]) => sk) };
  } catch {
    return { operation, keys: [], sortKeys: [] };
  }
}

/** Connection-level headers: they belong to one hop, not to the request. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade']);
const endToEnd = (headers: IncomingHttpHeaders): IncomingHttpHeaders =>
  Object.fromEntries(Object.entries(headers).filter(([name]) => !HOP_BY_HOP.has(name)));

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

function dynamoDbError(rule: FaultRule): Answer {
  const status = rule.status ?? 400;
  const type = rule.errorType ?? (status >= 500 ? 'InternalServerError' : 'ThrottlingException');
  const body = Buffer.from(JSON.stringify({ __type: `com.amazonaws.dynamodb.v20120810#${type}`, message: `Injected fault: ${type}` }));
  return {
    status,
    headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-errortype': type, 'content-length': String(body.length) },
    body,
  };
}

export interface FaultProxy {
  /** The endpoint to give DynamoDB clients instead of the upstream's. */
  url: string;
  inject(rule: FaultRule): void;
  clearFaults(): void;
  /** Every request since the last `resetCalls`, in arrival order. */
  calls(filter?: CallFilter): Call[];
  resetCalls(): void;
  /** Resolves once no forwarded request is waiting for DynamoDB's answer. */
  settled(): Promise<void>;
  /** Stops listening and destroys every connection, held ones included. */
  close(): Promise<void>;
}

/** Starts a fault-injecting proxy in front of the DynamoDB at `upstream` (http or https), on `port` (0: any free one). */
export async function startFaultProxy(upstream: string, port = 0): Promise<FaultProxy> {
  const target = new URL(upstream);
  const https = target.protocol === 'https:';
  const agent = https ? new HttpsAgent({ keepAlive: true }) : new HttpAgent({ keepAlive: true });
  const rules: { rule: FaultRule; left: number }[] = [];
  let log: Call[] = [];
  let inFlight = 0;
  const idle: (() => void)[] = [];

  /** Sends the request on; a stale kept-alive connection is retried once on a fresh one, as Node's docs advise. */
  const forward = (request: IncomingMessage, body: Buffer, retried = false): Promise<Answer> =>
    new Promise((resolve, reject) => {
      const outgoing = (https ? httpsRequest : httpRequest)(
        {
          protocol: target.protocol,
          hostname: target.hostname,
          port: target.port,
          method: request.method,
          path: request.url,
          agent,
          headers: { ...endToEnd(request.headers), 'content-length': String(body.length) },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () =>
            resolve({ status: response.statusCode ?? 502, headers: endToEnd(response.headers), body: Buffer.concat(chunks) }),
          );
          response.on('error', reject);
        },
      );
      outgoing.on('error', (error: NodeJS.ErrnoException) => {
        if (outgoing.reusedSocket && !retried && error.code === 'ECONNRESET') resolve(forward(request, body, true));
        else reject(error);
      });
      outgoing.end(body);
    });

  const exchange = async (request: IncomingMessage, body: Buffer): Promise<Answer> => {
    inFlight++;
    try {
      return await forward(request, body);
    } finally {
      if (--inFlight === 0) idle.splice(0).forEach((resolve) => resolve());
    }
  };

  const answer = (response: ServerResponse, { status, headers, body }: Answer) => {
    if (!response.destroyed) response.writeHead(status, headers).end(body);
  };

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const call: Call = callOf(request.headers, body);
    const applied = rules.find((entry) => entry.left > 0 && matches(entry.rule, call));
    if (applied) {
      applied.left--;
      call.action = applied.rule.action;
    }
    log.push(call);
    const rule = applied?.rule;
    if (rule?.action === 'reset') return request.socket.resetAndDestroy();
    if (rule?.action === 'error') return answer(response, dynamoDbError(rule));
    let upstreamAnswer: Answer;
    try {
      upstreamAnswer = await exchange(request, body);
    } catch {
      // DynamoDB could not be reached: the caller sees what it would have seen without the proxy.
      return request.socket.resetAndDestroy();
    }
    if (rule?.action === 'drop-response') return; // the socket stays open until the caller gives up
    if (rule?.action === 'delay') await new Promise((resolve) => setTimeout(resolve, rule.delayMs ?? 0));
    answer(response, upstreamAnswer);
  };

  const server = createServer((request, response) => void handle(request, response).catch(() => response.destroy()));
  // Idle connections outlive DynamoDB Local's own, so the proxy never closes one under a caller.
  server.keepAliveTimeout = 60_000;
  const sockets = new Set<Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  server.listen(port, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    inject: (rule) => void rules.push({ rule, left: rule.times ?? Infinity }),
    clearFaults: () => void rules.splice(0),
    calls: (filter) => (filter ? log.filter((call) => matches(filter, call)) : [...log]),
    resetCalls: () => void (log = []),
    settled: () => (inFlight === 0 ? Promise.resolve() : new Promise((resolve) => idle.push(resolve))),
    async close() {
      const closed = once(server, 'close');
      server.close();
      for (const socket of sockets) socket.destroy();
      agent.destroy();
      await closed;
    },
  };
}
