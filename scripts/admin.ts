import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { runAdmin } from './admin/cli.js';
import { TABLE_NAME, useLocalCredentials } from './stack.js';

/**
 * The provisioning CLI's entry (`npm run admin -- ...`, `npx messaging-admin ...`). Locally it talks
 * to the stack's DynamoDB; with --stage to that stage's table in AWS, with the caller's credentials
 * (the SDK's usual chain: AWS_PROFILE, SSO, environment), never a function's role.
 */
const code = await runAdmin(
  process.argv.slice(2),
  ({ stage, region }) => {
    const endpoint = stage ? undefined : process.env.DYNAMODB_ENDPOINT || `http://127.0.0.1:${process.env.DYNAMODB_PORT ?? 8000}`;
    if (endpoint) useLocalCredentials(endpoint);
    const client = new DynamoDBClient({ ...(endpoint ? { endpoint } : {}), ...(region ? { region } : {}) });
    const table = {
      client: DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } }),
      name: stage ? `messaging-api-${stage}` : TABLE_NAME,
    };
    return { table, now: () => new Date(), deployed: Boolean(stage) };
  },
  { out: (text) => console.log(text), err: (text) => console.error(text) },
);
process.exitCode = code;
