import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { randomUUID } from 'node:crypto';

/** An API Gateway HTTP API (payload 2.0) event, as Lambda would hand it to the handler. */
export function httpEvent(
  method: string,
  path: string,
  body: object | undefined,
  options: { pathParameters?: Record<string, string>; headers?: Record<string, string>; query?: Record<string, string> } = {},
): APIGatewayProxyEventV2 {
  return {
    version: '2.0',
    routeKey: `${method} ${path}`,
    rawPath: path,
    rawQueryString: new URLSearchParams(options.query).toString(),
    queryStringParameters: options.query,
    headers: { 'content-type': 'application/json', ...options.headers },
    pathParameters: options.pathParameters,
    body: body === undefined ? undefined : JSON.stringify(body),
    isBase64Encoded: false,
    requestContext: {
      accountId: '000000000000',
      apiId: 'bench',
      domainName: 'localhost',
      domainPrefix: 'localhost',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'bench' },
      requestId: randomUUID(),
      routeKey: `${method} ${path}`,
      stage: '$default',
      time: new Date().toISOString(),
      timeEpoch: Date.now(),
    },
  };
}

export const context = (): Context =>
  ({
    functionName: 'bench',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:bench',
    memoryLimitInMB: '512',
    awsRequestId: randomUUID(),
    logGroupName: 'bench',
    logStreamName: 'bench',
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => 10_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  }) as Context;

/** Drops the functions' metric lines (EMF, one per request) from stdout: they would drown a bench's table. */
export function dropMetricLines(): void {
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: never[]) =>
    String(chunk).startsWith('{"_aws"') ? true : write(chunk, ...rest)) as typeof process.stdout.write;
}

export type Handler = (event: unknown, context: Context) => Promise<{ statusCode: number; body?: string }>;

/** Imports a bundle under its own URL (a fresh module instance: its own client, caches and env). */
export async function loadHandler(file: string, env: Record<string, string>): Promise<Handler> {
  Object.assign(process.env, env);
  const module = (await import(`${file}?instance=${randomUUID()}`)) as { handler: Handler };
  return module.handler;
}
