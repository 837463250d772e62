import { describe, expect, it } from 'vitest';
import { configured, LONG_STAGE, prod, resources, type Template } from './template.js';

const { template } = prod();
const { template: configuredTemplate } = configured();

describe('operations: alarms, topic, dashboard, throttling (deploy/operations.cjs)', () => {
  const alarms = (t: Template) => resources(t, 'AWS::CloudWatch::Alarm').map(([, r]) => r.Properties);
  const functionIds = (t: Template) => resources(t, 'AWS::Lambda::Function').map(([id]) => id);

  it('sends every alarm to the alarm topic, which emails only where a stage configures an address', () => {
    for (const t of [template, configuredTemplate]) {
      expect(t.Resources.AlarmTopic).toMatchObject({ Type: 'AWS::SNS::Topic' });
      for (const a of alarms(t)) expect(a).toMatchObject({ AlarmActions: [{ Ref: 'AlarmTopic' }], OKActions: [{ Ref: 'AlarmTopic' }] });
    }
    const emails = (t: Template) =>
      resources(t, 'AWS::SNS::Subscription')
        .map(([, r]) => r.Properties)
        .filter((p) => p.Protocol === 'email');
    expect(emails(template)).toEqual([]);
    expect(emails(configuredTemplate)).toEqual([{ TopicArn: { Ref: 'AlarmTopic' }, Protocol: 'email', Endpoint: 'oncall@example.com' }]);
  });

  it('alarms when any dead-letter queue holds a message', () => {
    const queues = resources(template, 'AWS::SQS::Queue')
      .map(([id]) => id)
      .filter((id) => /DeadLetter/.test(id));
    expect(queues.sort()).toEqual(['CallbackDeadLetterQueue', 'DeliveryDeadLetterQueue', 'EventDeadLetterQueue', 'SendDeadLetterQueue']);
    for (const queue of queues) {
      expect(alarms(template)).toContainEqual(
        expect.objectContaining({
          Namespace: 'AWS/SQS',
          MetricName: 'ApproximateNumberOfMessagesVisible',
          Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queue, 'QueueName'] } }],
          ComparisonOperator: 'GreaterThanThreshold',
          Threshold: 0,
        }),
      );
    }
  });

  it("alarms on each function's errors and throttles", () => {
    const ids = functionIds(template);
    expect(ids.length).toBeGreaterThanOrEqual(7);
    for (const id of ids) {
      for (const metric of ['Errors', 'Throttles']) {
        expect(alarms(template)).toContainEqual(
          expect.objectContaining({
            Namespace: 'AWS/Lambda',
            MetricName: metric,
            Dimensions: [{ Name: 'FunctionName', Value: { Ref: id } }],
            Threshold: 1,
          }),
        );
      }
    }
  });

  it("alarms on the HTTP API's 5xx rate, as a share of its requests", () => {
    const rate = alarms(template).find((a) => a.Metrics)!;
    const metrics = Object.fromEntries((rate.Metrics as any[]).map((m) => [m.Id, m]));
    expect(metrics.errors.MetricStat.Metric).toEqual({
      Namespace: 'AWS/ApiGateway',
      MetricName: '5xx',
      Dimensions: [
        { Name: 'ApiId', Value: { Ref: 'HttpApi' } },
        { Name: 'Stage', Value: '$default' },
      ],
    });
    expect(metrics.requests.MetricStat.Metric.MetricName).toBe('Count');
    expect(metrics.rate).toMatchObject({ Expression: 'IF(requests > 0, 100 * errors / requests, 0)', ReturnData: true });
    expect(rate).toMatchObject({ ComparisonOperator: 'GreaterThanThreshold', Threshold: 1 });
  });

  it('throttles every HTTP route at the configured rate and burst', () => {
    expect(template.Resources.HttpApiStage!.Properties.DefaultRouteSettings).toMatchObject({
      ThrottlingRateLimit: 100,
      ThrottlingBurstLimit: 200,
    });
    expect(configuredTemplate.Resources.HttpApiStage!.Properties.DefaultRouteSettings).toMatchObject({
      ThrottlingRateLimit: 50,
      ThrottlingBurstLimit: 80,
    });
  });

  it('reserves concurrency only for the functions a stage names', () => {
    const reserved = (t: Template) =>
      Object.fromEntries(
        resources(t, 'AWS::Lambda::Function')
          .filter(([, r]) => r.Properties.ReservedConcurrentExecutions !== undefined)
          .map(([, r]) => [r.Properties.FunctionName, r.Properties.ReservedConcurrentExecutions]),
      );
    expect(reserved(template)).toEqual({});
    expect(reserved(configuredTemplate)).toEqual({
      [`messaging-api-${LONG_STAGE}-send-to-endpoint`]: 40,
      [`messaging-api-${LONG_STAGE}-send-from-queue`]: 5,
    });
  });

  it('builds a dashboard whose references all name resources of the stack', () => {
    const body = template.Resources.Dashboard!.Properties.DashboardBody['Fn::Sub'] as string;
    const dashboard = JSON.parse(body);
    expect(dashboard.widgets.map((w: any) => w.properties.title)).toEqual(
      expect.arrayContaining([
        'HTTP requests and errors',
        'Requests refused, by code and function',
        'Dead-letter queues',
        'Function errors',
      ]),
    );
    for (const [, reference] of body.matchAll(/\$\{([^}]+)\}/g))
      expect(template.Resources[reference!.split('.')[0]!], reference).toBeDefined();
  });

  it('passes the credential caches to every function (the revocation delay)', () => {
    for (const [, fn] of resources(template, 'AWS::Lambda::Function')) {
      expect(fn.Properties.Environment.Variables).toMatchObject({ CREDENTIAL_CACHE_SECONDS: '60', UNKNOWN_CREDENTIAL_CACHE_SECONDS: '10' });
    }
  });
});
