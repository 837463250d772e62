import { portsFromEnv, startStack } from './stack.js';

/** `npm start`: the whole API on this machine with demo data. Ctrl-C stops all of it. */
const stack = await startStack(portsFromEnv({ http: 3000, lambda: 3002, dynamodb: 8000, eventbridge: 4010, sqs: 9324 })).catch(
  (error: unknown) => {
    // A refusal (the seed's, for a DynamoDB not on this machine) says what to do: its message alone.
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
const { http, lambda, eventbridge, sqs } = stack.ports;
console.log(`
messaging-api is running with demo data:
  HTTP API          http://localhost:${http}
  Lambda invoke API http://localhost:${lambda}
  DynamoDB          ${stack.dynamodbEndpoint} (table ${stack.tableName}${process.env.DYNAMODB_ENDPOINT ? ', from DYNAMODB_ENDPOINT' : ', DynamoDB Local in memory'}${process.env.SEED_DEMO_DATA === 'false' ? ', no demo data' : ''})
  EventBridge bus   http://127.0.0.1:${eventbridge} (PutEvents, source messaging-api)
  SQS (fauxqs)      http://127.0.0.1:${sqs} (queue messaging-api-dev-send, polled into send-from-queue)
  API docs          http://localhost:${http}/docs (OpenAPI: /openapi.json, /openapi.yaml)
  Metadata          http://localhost:${http}/metadata (DTOs: npx typescript-ref http://localhost:${http})
Try:
  curl -s -X POST http://localhost:${http}/sessions/ses_demo/messages \\
    -H 'Authorization: Bearer demo-user-key' -H 'Content-Type: application/json' -d '{"body":"Hello"}'
  Every send is delivered to the simulated carrier (the table's stream, polled into dispatch); then:
  curl -s http://localhost:${http}/sessions/ses_demo/messages/<id>/status -H 'Authorization: Bearer demo-user-key'
  curl -s http://localhost:${http}/dev/carrier/outbox -H 'Authorization: Bearer demo-user-key'
Ctrl-C stops everything.`);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    void stack.stop().then(() => process.exit(0));
  });
}
