import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { isPrivateAddress } from '../../lib/callbacks/url-safety.js';
import { PROD_PROVIDERS, refusal } from './template.js';

const { localSettings } = createRequire(import.meta.url)('../../deploy/deployed-stage.cjs') as {
  localSettings(environments: Record<string, unknown>[], isPrivate: (address: string) => boolean): string[];
};
const local = (env: Record<string, unknown>) => localSettings([env], isPrivateAddress);

/** What the local stack sets (scripts/stack.ts), as a deployer's shell might still hold it. */
const SHELL = {
  DYNAMODB_ENDPOINT: 'http://127.0.0.1:8000',
  SQS_ENDPOINT: 'http://127.0.0.1:9324',
  SEND_DLQ_URL: 'http://127.0.0.1:9324/000000000000/messaging-api-dev-send-dlq',
  EVENT_DLQ_URL: 'http://127.0.0.1:9324/000000000000/messaging-api-dev-event-dlq',
  CALLBACK_QUEUE_URL: 'http://127.0.0.1:9324/000000000000/messaging-api-dev-callbacks',
  CALLBACK_DLQ_URL: 'http://127.0.0.1:9324/000000000000/messaging-api-dev-callback-dlq',
  CALLBACK_ALLOW_PRIVATE: 'true',
  PUBLIC_BASE_URL: 'http://localhost:3000',
};

describe('a deployed stage holds no local setting from the deployer shell', () => {
  it("refuses to package prod from a shell holding the local stack's settings, naming each", () => {
    const said = refusal('prod', { deliveryProviders: PROD_PROVIDERS }, SHELL);
    expect(said).toContain("Stage 'prod': local settings would be deployed");
    for (const name of ['DYNAMODB_ENDPOINT', 'SQS_ENDPOINT', 'DEAD_LETTER_QUEUE_URL', 'CALLBACK_QUEUE_URL', 'CALLBACK_DLQ_URL'])
      expect(said).toContain(`${name}='http://127.0.0.1:`);
    expect(said).toContain('CALLBACK_ALLOW_PRIVATE=true');
    expect(said).toContain("PUBLIC_BASE_URL='http://localhost:3000'");
  }, 180_000);

  it("takes the stage's own queues (CloudFormation references), and a public https base URL", () => {
    expect(
      local({ DEAD_LETTER_QUEUE_URL: { Ref: 'SendDeadLetterQueue' }, DYNAMODB_ENDPOINT: '', CALLBACK_ALLOW_PRIVATE: 'false' }),
    ).toEqual([]);
    expect(local({ PUBLIC_BASE_URL: 'https://api.example.com' })).toEqual([]);
  });

  it('refuses a base URL that is not https or names this machine or a private network', () => {
    for (const url of [
      'http://api.example.com',
      'https://localhost',
      'https://dev.localhost:3000',
      'https://10.0.0.8',
      'https://[::1]:3000',
    ])
      expect(local({ PUBLIC_BASE_URL: url }), url).toHaveLength(1);
  });
});
