import { describe, expect, it } from 'vitest';
import { prod, resources, type Statement } from './template.js';

const { template, artifacts } = prod();

describe('serverless package --stage prod: the table and the functions', () => {
  it('defines the one table with pk/sk, on-demand billing and TTL', () => {
    const tables = resources(template, 'AWS::DynamoDB::Table');
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
    const indexes = tables[0]![1].Properties.GlobalSecondaryIndexes as {
      IndexName: string;
      KeySchema: { AttributeName: string }[];
      Projection: unknown;
    }[];
    expect(indexes.map((i) => [i.IndexName, i.KeySchema.map((k) => k.AttributeName)])).toEqual([
      ['byAccount', ['gsiAccount', 'id']],
      ['byEndpoint', ['gsiEndpoint', 'id']],
      ['byCustomer', ['gsiCustomer', 'id']],
    ]);
  });

  it('gives each function its own role with only the DynamoDB actions it uses, on the table only', () => {
    const functions = resources(template, 'AWS::Lambda::Function');
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
      expect.arrayContaining([
        'send-to-session.zip',
        'send-to-endpoint.zip',
        'list-session-messages.zip',
        'send-from-queue.zip',
        'send-from-event.zip',
        'outgoing-to-device.zip',
        'list-account-messages.zip',
      ]),
    );
  });
});
