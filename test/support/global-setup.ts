import { openSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import type { TestProject } from 'vitest/node';
import * as z from 'zod/mini';
import { dynamodbEndpoint, portsFromEnv, startStack, type StackPorts } from '../../scripts/stack.js';
import { faultRule, startFaultProxy, type FaultProxy } from './fault-proxy.js';

export interface StackInfo {
  ports: StackPorts;
  tableName: string;
  /** DynamoDB itself, never faulted: the tests' own reads and writes go here. */
  dynamodbEndpoint: string;
  /** The control server of the functions' fault proxy (test/support/faults.ts). */
  control: string;
  /** The functions' CREDENTIAL_CACHE_SECONDS: how long a revoked key may still send. */
  credentialCacheSeconds: number;
}

declare module 'vitest' {
  export interface ProvidedContext {
    stack: StackInfo;
  }
}

const readJson = async (request: IncomingMessage): Promise<unknown> => {
  let text = '';
  for await (const chunk of request) text += chunk;
  return JSON.parse(text);
};

/** POST /faults (a rule), DELETE /faults, GET /calls, DELETE /calls: the test workers' handle on the proxy. */
function controlServer(proxy: FaultProxy) {
  const routes: Record<string, (request: IncomingMessage) => Promise<unknown>> = {
    'POST /faults': async (request) => proxy.inject(z.parse(faultRule, await readJson(request))),
    'DELETE /faults': async () => proxy.clearFaults(),
    // Once every forwarded request has its answer, so that the log and the table agree.
    'GET /calls': async () => {
      await proxy.settled();
      return proxy.calls();
    },
    'DELETE /calls': async () => proxy.resetCalls(),
  };
  return createServer((request, response) => {
    const route = routes[`${request.method} ${request.url}`];
    if (!route) return void response.writeHead(404).end();
    route(request).then(
      (result) =>
        result === undefined
          ? response.writeHead(204).end()
          : response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(result)),
      (error: Error) => response.writeHead(400).end(error.message),
    );
  });
}

/**
 * Starts the stack once for the whole run, on ports apart from `npm start`'s so that both can run at
 * once; its output goes to test-stack.log. The functions reach DynamoDB through a fault proxy that
 * the tests drive through a small control server; the tests' own table client goes to DynamoDB
 * directly, so their assertions are never faulted.
 */
export default async function setup(project: TestProject) {
  const ports = portsFromEnv({ http: 3100, lambda: 3102, dynamodb: 8100, eventbridge: 4110, sqs: 9424 });
  const log = openSync('test-stack.log', 'w');
  // Short, so that test/e2e/revocation.test.ts can wait out the cache (serverless.yml reads it from the environment).
  process.env.CREDENTIAL_CACHE_SECONDS ??= '3';
  // A short callback retry schedule and timeout, so that test/e2e/callbacks.test.ts sees retries and the dead letter.
  process.env.CALLBACK_RETRY_SECONDS ??= '1,1';
  process.env.CALLBACK_TIMEOUT_MS ??= '1500';
  const proxy = await startFaultProxy(dynamodbEndpoint(ports));
  const stack = await startStack(ports, {
    stdio: ['ignore', log, log],
    logLevel: 'WARN',
    watch: false,
    functionsEndpoint: proxy.url,
  }).catch(async (error) => {
    await proxy.close();
    throw error;
  });
  const control = controlServer(proxy);
  await new Promise<void>((resolve) => control.listen(0, '127.0.0.1', resolve));
  const { port } = control.address() as { port: number };
  project.provide('stack', {
    ports: stack.ports,
    tableName: stack.tableName,
    dynamodbEndpoint: stack.dynamodbEndpoint,
    control: `http://127.0.0.1:${port}`,
    credentialCacheSeconds: Number(process.env.CREDENTIAL_CACHE_SECONDS),
  });
  return async () => {
    control.close();
    await stack.stop();
    await proxy.close();
  };
}
