import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_AWS_ENV } from '../../scripts/stack.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
let template: { Resources: Record<string, { Type: string; Properties: any }> };
let artifacts: string[];

type Statement = { Effect: string; Action: string | string[]; Resource: unknown };

/**
 * `serverless package --stage prod` with no network and dummy credentials, as a deploy would build it.
 * It runs in a copy of the sources: packaging rebuilds and removes .esbuild/, which the running
 * serverless-offline of the e2e tests loads its handlers from.
 */
beforeAll(() => {
  const work = mkdtempSync(join(tmpdir(), 'messaging-api-package-'));
  for (const entry of ['serverless.yml', 'package.json', 'tsconfig.json', 'functions', 'lib']) cpSync(join(root, entry), join(work, entry), { recursive: true });
  symlinkSync(join(root, 'node_modules'), join(work, 'node_modules'));
  const out = join(work, 'out');
  execFileSync(process.execPath, [join(root, 'node_modules/osls/bin/serverless.js'), 'package', '--stage', 'prod', '--package', out], {
    cwd: work,
    env: { ...process.env, ...LOCAL_AWS_ENV, DYNAMODB_ENDPOINT: '' },
    stdio: 'pipe',
  });
  template = JSON.parse(readFileSync(join(out, 'cloudformation-template-update-stack.json'), 'utf8'));
  artifacts = readdirSync(out);
}, 120_000);

const resources = (type: string) => Object.entries(template.Resources).filter(([, r]) => r.Type === type);

describe('serverless package --stage prod', () => {
  it('defines the one table with pk/sk, on-demand billing and TTL', () => {
    const tables = resources('AWS::DynamoDB::Table');
    expect(tables).toHaveLength(1);
    expect(tables[0]![1].Properties).toMatchObject({
      TableName: 'messaging-api-prod',
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
    });
  });

  it('declares every HTTP route', () => {
    const routes = resources('AWS::ApiGatewayV2::Route').map(([, r]) => r.Properties.RouteKey);
    expect(routes).toEqual(
      expect.arrayContaining([
        'POST /sessions/{sessionId}/messages',
        'POST /sessions/{sessionId}/messages.json',
        'POST /sessions/{sessionId}/messages.xml',
        'ANY /messages',
        'ANY /messages.json',
        'ANY /messages.xml',
        'ANY /api/SendMessage',
        'ANY /json/reply/SendMessage',
        'ANY /xml/reply/SendMessage',
        'GET /sessions/{sessionId}/messages',
        'GET /sessions/{sessionId}/messages.xml',
        'POST /api/v1/messages/outgoing-to-device',
      ]),
    );
  });

  it('gives each function its own role with only the DynamoDB actions it uses, on the table only', () => {
    const functions = resources('AWS::Lambda::Function');
    expect(functions.length).toBeGreaterThanOrEqual(3);
    for (const [, fn] of functions) {
      expect(fn.Properties.FunctionName).toMatch(/^messaging-api-prod-/);
      expect(fn.Properties.Runtime).toBe('nodejs22.x');
      const roleName = fn.Properties.Role['Fn::GetAtt'][0] as string;
      expect(roleName).not.toBe('IamRoleLambdaExecution');
      const statements: Statement[] = template.Resources[roleName]!.Properties.Policies.flatMap((p: any) => p.PolicyDocument.Statement);
      for (const s of statements) {
        const actions = [s.Action].flat();
        expect(actions).not.toContain('*');
        expect(actions.every((a) => !a.endsWith(':*'))).toBe(true);
        if (actions.some((a) => a.startsWith('dynamodb:'))) {
          expect(JSON.stringify(s.Resource)).toContain('MessagesTable');
          expect(JSON.stringify(s.Resource)).not.toContain('"*"');
        }
      }
    }
  });

  it('bundles each function alone', () => {
    expect(artifacts).toEqual(
      expect.arrayContaining(['send-to-session.zip', 'send-to-endpoint.zip', 'list-messages.zip', 'send-from-queue.zip', 'send-from-event.zip', 'outgoing-to-device.zip']),
    );
  });

  it('wires the queue with partial batch failures and a dead-letter queue, and the bus rule with retries and one', () => {
    const [[, mapping]] = resources('AWS::Lambda::EventSourceMapping') as [string, { Properties: any }][] as [[string, { Properties: any }]];
    expect(mapping.Properties.FunctionResponseTypes).toEqual(['ReportBatchItemFailures']);
    expect(template.Resources.SendQueue!.Properties.RedrivePolicy).toMatchObject({ maxReceiveCount: 5 });
    const rules = resources('AWS::Events::Rule');
    expect(rules).toHaveLength(1);
    expect(rules[0]![1].Properties.EventPattern).toEqual({ source: ['messaging-api'], 'detail-type': ['SendMessage', 'OutgoingToDevice'] });
    expect(rules[0]![1].Properties.Targets[0].DeadLetterConfig.Arn).toEqual({ 'Fn::GetAtt': ['EventDeadLetterQueue', 'Arn'] });
  });
});
