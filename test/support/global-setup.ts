import { openSync } from 'node:fs';
import type { TestProject } from 'vitest/node';
import { portsFromEnv, startStack, type StackPorts } from '../../scripts/stack.js';

export interface StackInfo {
  ports: StackPorts;
  tableName: string;
  dynamodbEndpoint: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    stack: StackInfo;
  }
}

/**
 * Starts DynamoDB Local and serverless-offline once for the whole run, on ports apart from
 * `npm start`'s so that both can run at once. Their output goes to test-stack.log.
 */
export default async function setup(project: TestProject) {
  const ports = portsFromEnv({ http: 3100, lambda: 3102, dynamodb: 8100, eventbridge: 4110 });
  const log = openSync('test-stack.log', 'w');
  const stack = await startStack(ports, { stdio: ['ignore', log, log], logLevel: 'WARN', watch: false });
  project.provide('stack', { ports: stack.ports, tableName: stack.tableName, dynamodbEndpoint: stack.dynamodbEndpoint });
  return () => stack.stop();
}
