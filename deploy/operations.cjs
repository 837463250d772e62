'use strict';

/**
 * Operations for the packaged stack (README, "Operating in production"), added to the compiled
 * CloudFormation once every function, queue and event source is in it, so that what other parts of
 * serverless.yml add is covered without being listed here:
 *
 * - an alarm topic, with an email subscription when the stage's `alarmEmail` param is set;
 * - alarms: each dead-letter queue (a queue whose logical id names it one) holding a message, the
 *   HTTP API's 5xx rate, each function's errors and throttles, each stream consumer's iterator age;
 * - a CloudWatch dashboard of the headline figures;
 * - throttling: a rate and burst on every route of the HTTP API's stage, and reserved concurrency
 *   for the functions named in the `reservedConcurrency` param.
 *
 * Settings come from `custom.operations` (params in serverless.yml). A local plugin rather than
 * serverless-plugin-aws-alerts, which supports neither osls 4 nor HTTP API rate alarms or queue depths.
 */
const NAMESPACE = 'messaging-api';

const isDeadLetterQueue = (id, resource) => resource.Type === 'AWS::SQS::Queue' && /dead.?letter|dlq/i.test(id);
const isStream = (arn) => JSON.stringify(arn).includes('StreamArn') || /:stream\//.test(String(arn));

class Operations {
  constructor(serverless) {
    this.serverless = serverless;
    this.hooks = { 'before:package:finalize': () => this.addOperations() };
  }

  settings() {
    const s = this.serverless.service.custom.operations ?? {};
    const number = (value, name) => {
      const n = Number(value);
      if (!Number.isFinite(n) || n < 0)
        throw new this.serverless.classes.Error(`custom.operations.${name} must be a number >= 0 (got ${value})`);
      return n;
    };
    return {
      alarmEmail: s.alarmEmail || '',
      httpRateLimit: number(s.httpRateLimit, 'httpRateLimit'),
      httpBurstLimit: number(s.httpBurstLimit, 'httpBurstLimit'),
      http5xxRatePercent: number(s.http5xxRatePercent, 'http5xxRatePercent'),
      iteratorAgeMilliseconds: number(s.iteratorAgeMilliseconds, 'iteratorAgeMilliseconds'),
      reservedConcurrency: s.reservedConcurrency || {},
    };
  }

  addOperations() {
    const { service } = this.serverless;
    const provider = this.serverless.getProvider('aws');
    const naming = provider.naming;
    // What we add goes into the compiled template; what we look at includes serverless.yml's own
    // resources (the queues), which serverless merges in only after this hook.
    const resources = service.provider.compiledCloudFormationTemplate.Resources;
    const all = { ...service.resources?.Resources, ...resources };
    const settings = this.settings();
    const prefix = `${service.service}-${provider.getStage()}`;
    const region = provider.getRegion();

    const functions = Object.entries(all).filter(([, r]) => r.Type === 'AWS::Lambda::Function');
    const deadLetterQueues = Object.entries(all).filter(([id, r]) => isDeadLetterQueue(id, r));
    const streamConsumers = Object.values(all)
      .filter((r) => r.Type === 'AWS::Lambda::EventSourceMapping' && isStream(r.Properties.EventSourceArn))
      .map((r) => r.Properties.FunctionName);
    const hasHttpApi = Boolean(all[naming.getHttpApiLogicalId()]);

    // Throttling.
    for (const [name, limit] of Object.entries(settings.reservedConcurrency)) {
      const fn = resources[naming.getLambdaLogicalId(name)];
      if (!fn) throw new this.serverless.classes.Error(`custom.operations.reservedConcurrency names no function '${name}'`);
      fn.Properties.ReservedConcurrentExecutions = Number(limit);
    }
    const stage = resources[naming.getHttpApiStageLogicalId()];
    if (stage) {
      stage.Properties.DefaultRouteSettings = {
        ...stage.Properties.DefaultRouteSettings,
        ThrottlingRateLimit: settings.httpRateLimit,
        ThrottlingBurstLimit: settings.httpBurstLimit,
      };
    }

    // The topic.
    const topic = { Ref: 'AlarmTopic' };
    resources.AlarmTopic = { Type: 'AWS::SNS::Topic', Properties: { TopicName: `${prefix}-alarms`, DisplayName: `${prefix} alarms` } };
    if (settings.alarmEmail) {
      resources.AlarmEmailSubscription = {
        Type: 'AWS::SNS::Subscription',
        Properties: { TopicArn: topic, Protocol: 'email', Endpoint: settings.alarmEmail },
      };
    }
    const alarm = (id, properties) => {
      resources[id] = {
        Type: 'AWS::CloudWatch::Alarm',
        Properties: { AlarmActions: [topic], OKActions: [topic], TreatMissingData: 'notBreaching', EvaluationPeriods: 1, ...properties },
      };
    };

    // Alarms.
    for (const [id] of deadLetterQueues) {
      alarm(`${id}NotEmptyAlarm`, {
        AlarmName: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [id, 'QueueName'] }, ' not empty']] },
        AlarmDescription: 'Messages are waiting in a dead-letter queue: read them, fix the cause, redrive or delete them.',
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [id, 'QueueName'] } }],
        Statistic: 'Maximum',
        Period: 60,
        ComparisonOperator: 'GreaterThanThreshold',
        Threshold: 0,
      });
    }
    for (const [id, fn] of functions) {
      const name = fn.Properties.FunctionName;
      for (const metric of ['Errors', 'Throttles']) {
        alarm(`${id}${metric}Alarm`, {
          AlarmName: `${name} ${metric.toLowerCase()}`,
          Namespace: 'AWS/Lambda',
          MetricName: metric,
          Dimensions: [{ Name: 'FunctionName', Value: { Ref: id } }],
          Statistic: 'Sum',
          Period: 300,
          ComparisonOperator: 'GreaterThanOrEqualToThreshold',
          Threshold: 1,
        });
      }
    }
    for (const consumer of streamConsumers) {
      // serverless writes an event source's function as { Fn::GetAtt: [<function>LambdaFunction, Arn] }.
      const id = consumer['Fn::GetAtt'][0];
      alarm(`${id}IteratorAgeAlarm`, {
        AlarmName: `${all[id].Properties.FunctionName} iterator age`,
        AlarmDescription: 'The stream consumer is falling behind.',
        Namespace: 'AWS/Lambda',
        MetricName: 'IteratorAge',
        Dimensions: [{ Name: 'FunctionName', Value: { Ref: id } }],
        Statistic: 'Maximum',
        Period: 60,
        EvaluationPeriods: 5,
        ComparisonOperator: 'GreaterThanThreshold',
        Threshold: settings.iteratorAgeMilliseconds,
      });
    }
    if (hasHttpApi) {
      const apiMetric = (metricId, metricName) => ({
        Id: metricId,
        ReturnData: false,
        MetricStat: {
          Metric: {
            Namespace: 'AWS/ApiGateway',
            MetricName: metricName,
            Dimensions: [
              { Name: 'ApiId', Value: { Ref: 'HttpApi' } },
              { Name: 'Stage', Value: '$default' },
            ],
          },
          Period: 300,
          Stat: 'Sum',
        },
      });
      alarm('HttpApi5xxRateAlarm', {
        AlarmName: `${prefix} HTTP 5xx rate`,
        AlarmDescription: `More than ${settings.http5xxRatePercent}% of HTTP requests answered 5xx in 5 minutes.`,
        Metrics: [
          apiMetric('errors', '5xx'),
          apiMetric('requests', 'Count'),
          { Id: 'rate', Label: '5xx %', Expression: 'IF(requests > 0, 100 * errors / requests, 0)', ReturnData: true },
        ],
        ComparisonOperator: 'GreaterThanThreshold',
        Threshold: settings.http5xxRatePercent,
      });
    }

    // The dashboard.
    const names = functions.map(([, fn]) => fn.Properties.FunctionName);
    const perFunction = (metric, stat) => names.map((name) => ['AWS/Lambda', metric, 'FunctionName', name, { stat }]);
    const search = (metric, dimensions) => ({
      expression: `SEARCH('{${NAMESPACE},${dimensions}} MetricName="${metric}"', 'Sum', 300)`,
      label: '',
    });
    const widget = (title, properties) => ({
      type: 'metric',
      width: 12,
      height: 6,
      properties: { title, region, view: 'timeSeries', stat: 'Sum', period: 300, ...properties },
    });
    const widgets = [
      ...(hasHttpApi
        ? [
            widget('HTTP requests and errors', {
              metrics: ['Count', '4xx', '5xx'].map((m) => ['AWS/ApiGateway', m, 'ApiId', '${HttpApi}', 'Stage', '$default']),
            }),
          ]
        : []),
      widget('Requests accepted, by function', { metrics: [[search('Accepted', 'function,service')]] }),
      widget('Requests refused, by code and function', { metrics: [[search('Refused', 'code,function,service')]] }),
      widget('Idempotent replays', { metrics: [[search('IdempotentReplay', 'function,service')]] }),
      widget('Events stored, refused, failed', {
        metrics: [
          [search('EventAccepted', 'function,service')],
          [search('EventRefused', 'code,function,service')],
          [search('EventFailed', 'code,function,service')],
        ],
      }),
      widget('Function errors', { metrics: perFunction('Errors', 'Sum') }),
      widget('Function throttles', { metrics: perFunction('Throttles', 'Sum') }),
      widget('Function duration p99 (ms)', { metrics: perFunction('Duration', 'p99') }),
      widget('Dead-letter queues', {
        stat: 'Maximum',
        metrics: deadLetterQueues.map(([id]) => ['AWS/SQS', 'ApproximateNumberOfMessagesVisible', 'QueueName', `\${${id}.QueueName}`]),
      }),
      widget('Table: consumed capacity and throttled requests', {
        metrics: [
          ['AWS/DynamoDB', 'ConsumedWriteCapacityUnits', 'TableName', '${MessagesTable}'],
          ['AWS/DynamoDB', 'ConsumedReadCapacityUnits', 'TableName', '${MessagesTable}'],
          ['AWS/DynamoDB', 'ThrottledRequests', 'TableName', '${MessagesTable}', 'Operation', 'PutItem'],
        ],
      }),
    ];
    // Positions: two widgets per row.
    widgets.forEach((w, i) => Object.assign(w, { x: (i % 2) * 12, y: Math.floor(i / 2) * 6 }));
    resources.Dashboard = {
      Type: 'AWS::CloudWatch::Dashboard',
      Properties: { DashboardName: prefix, DashboardBody: { 'Fn::Sub': JSON.stringify({ widgets }) } },
    };
  }
}

module.exports = Operations;
