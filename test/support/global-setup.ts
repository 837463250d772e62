import { mkdtempSync, openSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { portsFromEnv, startStack, type StackPorts } from '../../scripts/stack.js';

export interface StackInfo {
  ports: StackPorts;
  tableName: string;
  dynamodbEndpoint: string;
  /** POST <control>/dynamodb/stop and /dynamodb/start: the fault tests' outage switch. */
  control: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    stack: StackInfo;
  }
}

/**
 * Starts DynamoDB Local (on disk, so that an outage loses nothing) and serverless-offline once for
 * the whole run, on ports apart from `npm start`'s so that both can run at once. Their output goes
 * to test-stack.log. A small control server lets the fault tests stop and restart DynamoDB Local.
 */
export default async function setup(project: TestProject) {
  const ports = portsFromEnv({ http: 3100, lambda: 3102, dynamodb: 8100, eventbridge: 4110, sqs: 9424 });
  const log = openSync('test-stack.log', 'w');
  const dbPath = mkdtempSync(join(tmpdir(), 'messaging-api-dynamodb-'));
  const stack = await startStack(ports, { stdio: ['ignore', log, log], logLevel: 'WARN', watch: false, dbPath });
  const control = createServer((request, response) => {
    const action = request.url === '/dynamodb/stop' ? stack.stopDynamoDb() : request.url === '/dynamodb/start' ? stack.startDynamoDb() : undefined;
    if (!action) return void response.writeHead(404).end();
    action.then(
      () => response.writeHead(204).end(),
      (error: Error) => response.writeHead(500).end(error.message),
    );
  });
  await new Promise<void>((resolve) => control.listen(0, '127.0.0.1', resolve));
  const { port } = control.address() as { port: number };
  project.provide('stack', { ports: stack.ports, tableName: stack.tableName, dynamodbEndpoint: stack.dynamodbEndpoint, control: `http://127.0.0.1:${port}` });
  return async () => {
    control.close();
    await stack.stop();
  };
}
