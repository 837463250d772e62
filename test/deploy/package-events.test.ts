import { describe, expect, it } from 'vitest';
import { resolve } from './resolve.js';
import { configured, EVENT_SOURCES, LONG_STAGE, PRODUCERS, prod, resources, type Template } from './template.js';

const { template } = prod();
const { template: configuredTemplate } = configured();

describe('sends by queue and by event', () => {
  it('wires the queue with partial batch failures and a dead-letter queue, and the bus rule with retries and one', () => {
    // The send queue's mapping (the tables' streams and the callback queue have their own).
    const mapping = resources(template, 'AWS::Lambda::EventSourceMapping').find(([, r]) =>
      JSON.stringify(r.Properties.EventSourceArn).includes('"SendQueue"'),
    );
    expect(mapping?.[1].Properties.FunctionResponseTypes).toEqual(['ReportBatchItemFailures']);
    expect(template.Resources.SendQueue!.Properties.RedrivePolicy).toMatchObject({ maxReceiveCount: 5 });
    const rules = resources(template, 'AWS::Events::Rule').filter(([, r]) => r.Properties.EventPattern); // not the sweeper's schedule
    expect(rules).toHaveLength(1);
    expect(rules[0]![1].Properties.EventPattern).toEqual({ source: ['messaging-api'], 'detail-type': ['SendMessage', 'OutgoingToDevice'] });
    expect(rules[0]![1].Properties.Targets[0].DeadLetterConfig.Arn).toEqual({ 'Fn::GetAtt': ['EventDeadLetterQueue', 'Arn'] });
  });

  it("hears every source the stage's eventSources param lists (a producer is bound by account and source)", () => {
    const rules = resources(configuredTemplate, 'AWS::Events::Rule').filter(([, r]) => r.Properties.EventPattern);
    expect(rules).toHaveLength(1);
    expect(rules[0]![1].Properties.EventPattern).toEqual({ source: EVENT_SOURCES, 'detail-type': ['SendMessage', 'OutgoingToDevice'] });
  });
});

describe('event producers', () => {
  const policyOf = (t: Template, type: string, document: (p: any) => any) =>
    resolve(t, document(Object.values(t.Resources).find((r) => r.Type === type)!.Properties)).Statement as any[];
  const busPolicy = (t: Template) => policyOf(t, 'AWS::Events::EventBus', (p) => p.Policy);
  const queuePolicy = (t: Template) =>
    resolve(
      t,
      Object.values(t.Resources).find((r) => r.Type === 'AWS::SQS::QueuePolicy' && r.Properties.Queues[0].Ref === 'SendQueue')!.Properties
        .PolicyDocument,
    ).Statement as any[];
  const ROOT = 'arn:aws:iam::123456789012:root';

  it.each([
    ['by default, the account root only', () => template, [ROOT]],
    ['when configured, the root and the configured producers only', () => configuredTemplate, [ROOT, ...PRODUCERS]],
  ])('lets onto the bus and the queue %s', (_, t, allowed) => {
    for (const [statements, action] of [
      [busPolicy(t()), 'events:PutEvents'],
      [queuePolicy(t()), 'sqs:SendMessage'],
    ] as const) {
      expect(statements.find((s) => s.Effect === 'Allow' && s.Action === action)!.Principal).toEqual({ AWS: allowed });
      expect(statements.find((s) => s.Effect === 'Deny' && s.Action === action)).toMatchObject({
        Principal: '*',
        Condition: { ArnNotLike: { 'aws:PrincipalArn': allowed } },
      });
    }
  });

  it('refuses plain-HTTP access to the queue', () => {
    expect(queuePolicy(template)).toContainEqual(
      expect.objectContaining({ Effect: 'Deny', Action: 'sqs:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    );
  });

  it("puts the rule on the service's own bus, and the event DLQ accepts exactly that rule, also for a long stage name", () => {
    for (const [t, stage] of [
      [template, 'prod'],
      [configuredTemplate, LONG_STAGE],
    ] as const) {
      const rules = Object.values(t.Resources).filter((r) => r.Type === 'AWS::Events::Rule' && r.Properties.EventPattern);
      expect(rules).toHaveLength(1);
      expect(resolve(t, rules[0]!.Properties.EventBusName)).toBe(`messaging-api-${stage}`);
      // The rule's ARN as osls builds it for the Lambda permission (authoritative for the name it generated).
      const permission = Object.values(t.Resources).find(
        (r) =>
          r.Type === 'AWS::Lambda::Permission' &&
          r.Properties.Principal === 'events.amazonaws.com' &&
          JSON.stringify(r.Properties.FunctionName).includes('SendDashfromDasheventLambdaFunction'),
      )!;
      const ruleArn = resolve(t, permission.Properties.SourceArn);
      expect(ruleArn).toBe(`arn:aws:events:us-east-1:123456789012:rule/messaging-api-${stage}/${rules[0]!.Properties.Name}`);
      const dlqPolicy = resolve(t, t.Resources.EventDeadLetterQueuePolicy!.Properties.PolicyDocument);
      expect(dlqPolicy.Statement[0].Condition).toEqual({ ArnEquals: { 'aws:SourceArn': ruleArn } });
    }
  });
});
