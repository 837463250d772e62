import { once } from 'node:events';
import { Agent, createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * API Gateway's answer to an invocation that failed, where serverless-offline gives another.
 * serverless-offline 13 wraps any HTTP API (payload 2.0) result without a `statusCode` as a 200
 * with that result as its body, the Lambda error of a crash or a timeout included (its HttpServer.js;
 * upstream dherault/serverless-offline #355, #678, PR #772 fixed REST only). A client of the local
 * stack would take an unsent message for an accepted one. API Gateway answers these instead.
 */
export const FUNCTION_ERROR = { status: 500, body: { message: 'Internal Server Error' } };
export const FUNCTION_TIMEOUT = { status: 503, body: { message: 'Service Unavailable' } };

/** serverless-offline's error class for an invocation that outlived the function's `timeout`. */
const TIMEOUT_ERROR_TYPE = 'LambdaTimeoutError';
/** Exactly what serverless-offline puts in the body of a failed invocation (its order, so a cheap prefix test first). */
const LAMBDA_ERROR_KEYS = new Set(['errorMessage', 'errorType', 'stackTrace']);
const LAMBDA_ERROR_PREFIX = '{"errorMessage":';
/** A wrapped Lambda error is small; anything larger is an answer and streams through unread. */
const MAX_INSPECTED_BYTES = 256 * 1024;

/** The API Gateway answer a serverless-offline 200 stands for, or undefined when it is a real answer. */
export function gatewayAnswer(status: number, body: string): typeof FUNCTION_ERROR | undefined {
  if (status !== 200 || !body.startsWith(LAMBDA_ERROR_PREFIX)) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
  const error = parsed as Record<string, unknown>;
  if (typeof error.errorMessage !== 'string' || typeof error.errorType !== 'string') return undefined;
  if (!Object.keys(error).every((key) => LAMBDA_ERROR_KEYS.has(key))) return undefined;
  return error.errorType === TIMEOUT_ERROR_TYPE ? FUNCTION_TIMEOUT : FUNCTION_ERROR;
}

/** Only a small 200 in JSON can be a wrapped error (hapi adds a charset to every JSON type, so the header tells nothing more). */
const mayBeWrapped = (response: IncomingMessage): boolean =>
  response.statusCode === 200 &&
  /^application\/json\s*(;|$)/i.test(response.headers['content-type'] ?? '') &&
  response.headers['content-encoding'] === undefined &&
  Number(response.headers['content-length'] ?? 0) <= MAX_INSPECTED_BYTES;

function answer(client: ServerResponse, { status, body }: typeof FUNCTION_ERROR): void {
  const text = JSON.stringify(body);
  client.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) }).end(text);
}

async function relay(upstream: IncomingMessage, client: ServerResponse): Promise<void> {
  if (!mayBeWrapped(upstream)) {
    client.writeHead(upstream.statusCode!, upstream.statusMessage, upstream.rawHeaders);
    upstream.pipe(client);
    return;
  }
  const chunks: Buffer[] = [];
  for await (const chunk of upstream) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks);
  const translated = gatewayAnswer(upstream.statusCode!, body.toString('utf8'));
  if (translated) return answer(client, translated);
  client.writeHead(upstream.statusCode!, upstream.statusMessage, upstream.rawHeaders).end(body);
}

/** A port nothing listens on now, for a server started next (the one behind the gateway). */
export async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export interface Gateway {
  port: number;
  stop(): Promise<void>;
}

/**
 * The local stack's HTTP port: every request passes to serverless-offline on `upstreamPort`
 * unchanged (method, path, headers, body), every answer comes back unchanged, but a failed
 * invocation, which serverless-offline answers 200, becomes API Gateway's 500 (function error) or
 * 503 (timeout). serverless-offline itself stays as installed: no patch to keep across upgrades.
 */
export async function startGateway(port: number, upstreamPort: number, host = 'localhost'): Promise<Gateway> {
  const agent = new Agent({ keepAlive: true });
  const server = createServer((client, response) => {
    const upstream = httpRequest(
      { host: '127.0.0.1', port: upstreamPort, method: client.method, path: client.url, headers: client.headers, agent },
      (reply) => void relay(reply, response).catch(() => response.destroy()),
    );
    upstream.on('error', () => {
      if (response.headersSent) return void response.destroy();
      answer(response, { status: 502, body: { message: 'The local stack (serverless-offline) did not answer' } });
    });
    response.on('close', () => {
      if (!response.writableFinished) upstream.destroy();
    });
    client.pipe(upstream);
  });
  server.listen(port, host);
  await once(server, 'listening');
  return {
    port: (server.address() as AddressInfo).port,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      agent.destroy();
    },
  };
}
