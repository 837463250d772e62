import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { LOCAL_AWS_ENV } from '../../scripts/stack.js';
import { resolve, type Template } from './resolve.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
let template: Template;
let artifacts: string[];
/** A stage name long enough that osls would hash generated rule names (over 64 characters). */
const LONG_STAGE = 'a-thirty-character-stage-name1';
const PRODUCERS = ['arn:aws:iam::123456789012:role/crm-producer', 'arn:aws:iam::210987654321:role/scheduler'];
/** Packaged for LONG_STAGE with PRODUCERS configured as that stage's params. */
let configured: Template;

/** Operations params of the configured stage (deploy/operations.cjs). */
const OPERATIONS = { alarmEmail: 'oncall@example.com', httpRateLimit: 50, httpBurstLimit: 80, reservedConcurrency: { 'send-to-endpoint': 40, 'send-from-queue': 5 } };

type Statement = { Effect: string; Action: string | string[]; Resource: unknown; Condition?: any };

/**
 * `serverless package --stage prod` with no network and dummy credentials, as a deploy would build it.
 * It runs in a copy of the sources: packaging rebuilds and removes .esbuild/, which the running
 * serverless-offline of the e2e tests loads its handlers from.
 */
/** The environment without the local stack's settings, which would replace the queues' URLs. */
function deployEnv(): NodeJS.ProcessEnv {
  const { SQS_ENDPOINT: _sqs, SEND_DLQ_URL: _send, EVENT_DLQ_URL: _event, CREDENTIAL_CACHE_SECONDS: _cache, ...env } = process.env;
  return env;
}

function packageStage(stage: string, params?: object): { template: Template; artifacts: string[] } {
  const work = mkdtempSync(join(tmpdir(), 'messaging-api-package-'));
  for (const entry of ['serverless.yml', 'package.json', 'tsconfig.json', 'functions', 'lib', 'deploy']) cpSync(join(root, entry), join(work, entry), { recursive: true });
  if (params) {
    const config = parse(readFileSync(join(work, 'serverless.yml'), 'utf8'));
    config.params[stage] = params;
    writeFileSync(join(work, 'serverless.yml'), stringify(config));
  }
  symlinkSync(join(root, 'node_modules'), join(work, 'node_modules'));
  const out = join(work, 'out');
  // serverless-esbuild 1.57 stages each zip in TMPDIR and never removes it (floydspace/serverless-esbuild#589): kept inside `work`.
  const tmp = join(work, 'tmp');
  mkdirSync(tmp);
  try {
    execFileSync(process.execPath, [join(root, 'node_modules/osls/bin/serverless.js'), 'package', '--stage', stage, '--package', out], {
      cwd: work,
      env: { ...deployEnv(), ...LOCAL_AWS_ENV, DYNAMODB_ENDPOINT: '', TMPDIR: tmp },
      stdio: 'pipe',
    });
    return { template: JSON.parse(readFileSync(join(out, 'cloudformation-template-update-stack.json'), 'utf8')), artifacts: readdirSync(out) };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

beforeAll(() => {
  ({ template, artifacts } = packageStage('prod'));
  configured = packageStage(LONG_STAGE, { producers: PRODUCERS, ...OPERATIONS }).template;
}, 240_000);

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
    const indexes = tables[0]![1].Properties.GlobalSecondaryIndexes as { IndexName: string; KeySchema: { AttributeName: string }[]; Projection: unknown }[];
    expect(indexes.map((i) => [i.IndexName, i.KeySchema.map((k) => k.AttributeName)])).toEqual([
      ['byAccount', ['gsiAccount', 'id']],
      ['byEndpoint', ['gsiEndpoint', 'id']],
      ['byCustomer', ['gsiCustomer', 'id']],
    ]);
  });

  it('routes no GET of /messages to a send, and no other verb to the list', () => {
    const routes = resources('AWS::ApiGatewayV2::Route').map(([, r]) => r.Properties.RouteKey as string);
    expect(routes.filter((r) => /^(ANY|\*) \/messages/.test(r))).toEqual([]);
    expect(routes.filter((r) => r.startsWith('GET /messages')).sort()).toEqual(['GET /messages', 'GET /messages.json', 'GET /messages.xml']);
  });

  it('declares every HTTP route', () => {
    const routes = resources('AWS::ApiGatewayV2::Route').map(([, r]) => r.Properties.RouteKey);
    expect(routes).toEqual(
      expect.arrayContaining([
        'POST /sessions/{sessionId}/messages',
        'POST /sessions/{sessionId}/messages.json',
        'POST /sessions/{sessionId}/messages.xml',
        ...['POST', 'PUT', 'PATCH', 'DELETE'].flatMap((verb) => [`${verb} /messages`, `${verb} /messages.json`, `${verb} /messages.xml`]),
        'GET /messages',
        'GET /messages.json',
        'GET /messages.xml',
        'ANY /api/ListMessages',
        'ANY /json/reply/ListMessages',
        'ANY /xml/reply/ListMessages',
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
      expect.arrayContaining(['send-to-session.zip', 'send-to-endpoint.zip', 'list-messages.zip', 'send-from-queue.zip', 'send-from-event.zip', 'outgoing-to-device.zip', 'list-account-messages.zip']),
    );
  });

  it('wires the queue with partial batch failures and a dead-letter queue, and the bus rule with retries and one', () => {
    // The send queue's mapping (the tables' streams and the callback queue have their own).
    const mapping = resources('AWS::Lambda::EventSourceMapping').find(([, r]) => JSON.stringify(r.Properties.EventSourceArn).includes('"SendQueue"'));
    expect(mapping?.[1].Properties.FunctionResponseTypes).toEqual(['ReportBatchItemFailures']);
    expect(template.Resources.SendQueue!.Properties.RedrivePolicy).toMatchObject({ maxReceiveCount: 5 });
    const rules = resources('AWS::Events::Rule');
    expect(rules).toHaveLength(1);
    expect(rules[0]![1].Properties.EventPattern).toEqual({ source: ['messaging-api'], 'detail-type': ['SendMessage', 'OutgoingToDevice'] });
    expect(rules[0]![1].Properties.Targets[0].DeadLetterConfig.Arn).toEqual({ 'Fn::GetAtt': ['EventDeadLetterQueue', 'Arn'] });
  });
});

const WRITES = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'];

/** Every function role's DynamoDB statements. */
function dynamoStatements(t: Template): { fn: string; actions: string[]; leadingKeys: string[] | undefined }[] {
  return Object.values(t.Resources)
    .filter((r) => r.Type === 'AWS::Lambda::Function')
    .flatMap((fn) => {
      const role = t.Resources[fn.Properties.Role['Fn::GetAtt'][0]]!;
      const statements: Statement[] = role.Properties.Policies.flatMap((p: any) => p.PolicyDocument.Statement);
      return statements
        .map((s) => ({ fn: fn.Properties.FunctionName as string, actions: [s.Action].flat(), leadingKeys: s.Condition?.['ForAllValues:StringLike']?.['dynamodb:LeadingKeys'] }))
        .filter((s) => s.actions.some((a) => a.startsWith('dynamodb:') && !STREAM_READS.includes(a)));
    });
}

/** What Lambda needs to read a table's stream (the plugin grants it on the stream's ARN): no item is read or written with these. */
const STREAM_READS = ['dynamodb:GetRecords', 'dynamodb:GetShardIterator', 'dynamodb:DescribeStream', 'dynamodb:ListStreams'];

/** Whether an IAM StringLike pattern matches a key. */
const like = (pattern: string, key: string) => new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`).test(key);

describe('least privilege by key (dynamodb:LeadingKeys)', () => {
  it('puts a LeadingKeys condition on every DynamoDB statement of every role', () => {
    const statements = dynamoStatements(template);
    expect(statements.length).toBeGreaterThan(6);
    for (const s of statements) expect(s.leadingKeys, `${s.fn} ${s.actions}`).toEqual(expect.arrayContaining([expect.stringMatching(/^[A-Z_]+#/)]));
  });

  it('lets no role write credentials, accounts, endpoints or producer bindings, nor delete anything', () => {
    for (const s of dynamoStatements(template)) {
      expect(s.actions).not.toContain('dynamodb:DeleteItem');
      if (!s.actions.some((a) => WRITES.includes(a))) continue;
      for (const key of ['CREDENTIAL#x', 'ACCOUNT#x', 'ENDPOINT#x', 'PRODUCER#sqs#x', 'PRODUCER#events#1#x', 'DIRECTORY']) {
        expect(s.leadingKeys!.filter((p) => like(p, key)), `${s.fn} may write ${key}`).toEqual([]);
      }
    }
  });

  it('allows UpdateItem only on the edna counter, and to the delivery functions on deliveries (and the simulated carrier)', () => {
    const updates = dynamoStatements(template).filter((s) => s.actions.includes('dynamodb:UpdateItem'));
    const delivery = ['messaging-api-prod-dispatch', 'messaging-api-prod-delivery-status'];
    expect(updates.map((s) => s.fn).sort()).toEqual(['messaging-api-prod-delivery-status', 'messaging-api-prod-dispatch', 'messaging-api-prod-mark-read', 'messaging-api-prod-outgoing-to-device', 'messaging-api-prod-send-from-event', 'messaging-api-prod-send-from-queue']);
    // MarkMessageRead clears isUnread of a message: its session's partition only.
    expect(updates.filter((u) => u.fn === 'messaging-api-prod-mark-read').map((u) => [u.actions, u.leadingKeys])).toEqual([[['dynamodb:UpdateItem'], ['SESSION#*']]]);
    for (const s of updates.filter((u) => !delivery.includes(u.fn) && u.fn !== 'messaging-api-prod-mark-read')) {
      expect(s.actions).toEqual(['dynamodb:UpdateItem']);
      expect(s.leadingKeys).toEqual(['COUNTER#EDNA']);
    }
    for (const s of updates.filter((u) => delivery.includes(u.fn))) expect(s.leadingKeys!.every((k) => ['DELIVERY#*', 'CARRIER#*'].includes(k))).toBe(true);
  });

  it('gives list-messages reads of credentials and sessions only', () => {
    const list = dynamoStatements(template).filter((s) => s.fn === 'messaging-api-prod-list-messages');
    expect(list.flatMap((s) => s.actions).sort()).toEqual(['dynamodb:GetItem', 'dynamodb:Query']);
    expect(list.find((s) => s.actions.includes('dynamodb:Query'))!.leadingKeys).toEqual(['SESSION#*']);
  });
});

describe('event producers', () => {
  const policyOf = (t: Template, type: string, document: (p: any) => any) =>
    resolve(t, document(Object.values(t.Resources).find((r) => r.Type === type)!.Properties)).Statement as any[];
  const busPolicy = (t: Template) => policyOf(t, 'AWS::Events::EventBus', (p) => p.Policy);
  const queuePolicy = (t: Template) =>
    resolve(t, Object.values(t.Resources).find((r) => r.Type === 'AWS::SQS::QueuePolicy' && r.Properties.Queues[0].Ref === 'SendQueue')!.Properties.PolicyDocument).Statement as any[];
  const ROOT = 'arn:aws:iam::123456789012:root';

  it.each([
    ['by default, the account root only', () => template, [ROOT]],
    ['when configured, the root and the configured producers only', () => configured, [ROOT, ...PRODUCERS]],
  ])('lets onto the bus and the queue %s', (_, t, allowed) => {
    for (const [statements, action] of [
      [busPolicy(t()), 'events:PutEvents'],
      [queuePolicy(t()), 'sqs:SendMessage'],
    ] as const) {
      expect(statements.find((s) => s.Effect === 'Allow' && s.Action === action)!.Principal).toEqual({ AWS: allowed });
      expect(statements.find((s) => s.Effect === 'Deny' && s.Action === action)).toMatchObject({ Principal: '*', Condition: { ArnNotLike: { 'aws:PrincipalArn': allowed } } });
    }
  });

  it('refuses plain-HTTP access to the queue', () => {
    expect(queuePolicy(template)).toContainEqual(expect.objectContaining({ Effect: 'Deny', Action: 'sqs:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }));
  });

  it("puts the rule on the service's own bus, and the event DLQ accepts exactly that rule, also for a long stage name", () => {
    for (const [t, stage] of [
      [template, 'prod'],
      [configured, LONG_STAGE],
    ] as const) {
      const rules = Object.values(t.Resources).filter((r) => r.Type === 'AWS::Events::Rule');
      expect(rules).toHaveLength(1);
      expect(resolve(t, rules[0]!.Properties.EventBusName)).toBe(`messaging-api-${stage}`);
      // The rule's ARN as osls builds it for the Lambda permission (authoritative for the name it generated).
      const permission = Object.values(t.Resources).find((r) => r.Type === 'AWS::Lambda::Permission' && r.Properties.Principal === 'events.amazonaws.com')!;
      const ruleArn = resolve(t, permission.Properties.SourceArn);
      expect(ruleArn).toBe(`arn:aws:events:us-east-1:123456789012:rule/messaging-api-${stage}/${rules[0]!.Properties.Name}`);
      const dlqPolicy = resolve(t, t.Resources.EventDeadLetterQueuePolicy!.Properties.PolicyDocument);
      expect(dlqPolicy.Statement[0].Condition).toEqual({ ArnEquals: { 'aws:SourceArn': ruleArn } });
    }
  });
});

describe('operations: alarms, topic, dashboard, throttling (deploy/operations.cjs)', () => {
  const ofType = (t: Template, type: string) => Object.entries(t.Resources).filter(([, r]) => r.Type === type);
  const alarms = (t: Template) => ofType(t, 'AWS::CloudWatch::Alarm').map(([, r]) => r.Properties);
  const functionIds = (t: Template) => ofType(t, 'AWS::Lambda::Function').map(([id]) => id);

  it('sends every alarm to the alarm topic, which emails only where a stage configures an address', () => {
    for (const t of [template, configured]) {
      expect(t.Resources.AlarmTopic).toMatchObject({ Type: 'AWS::SNS::Topic' });
      for (const a of alarms(t)) expect(a).toMatchObject({ AlarmActions: [{ Ref: 'AlarmTopic' }], OKActions: [{ Ref: 'AlarmTopic' }] });
    }
    const emails = (t: Template) => ofType(t, 'AWS::SNS::Subscription').map(([, r]) => r.Properties).filter((p) => p.Protocol === 'email');
    expect(emails(template)).toEqual([]);
    expect(emails(configured)).toEqual([
      { TopicArn: { Ref: 'AlarmTopic' }, Protocol: 'email', Endpoint: 'oncall@example.com' },
    ]);
  });

  it('alarms when any dead-letter queue holds a message', () => {
    const queues = ofType(template, 'AWS::SQS::Queue').map(([id]) => id).filter((id) => /DeadLetter/.test(id));
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
          expect.objectContaining({ Namespace: 'AWS/Lambda', MetricName: metric, Dimensions: [{ Name: 'FunctionName', Value: { Ref: id } }], Threshold: 1 }),
        );
      }
    }
  });

  it("alarms on the HTTP API's 5xx rate, as a share of its requests", () => {
    const rate = alarms(template).find((a) => a.Metrics)!;
    const metrics = Object.fromEntries((rate.Metrics as any[]).map((m) => [m.Id, m]));
    expect(metrics.errors.MetricStat.Metric).toEqual({ Namespace: 'AWS/ApiGateway', MetricName: '5xx', Dimensions: [{ Name: 'ApiId', Value: { Ref: 'HttpApi' } }, { Name: 'Stage', Value: '$default' }] });
    expect(metrics.requests.MetricStat.Metric.MetricName).toBe('Count');
    expect(metrics.rate).toMatchObject({ Expression: 'IF(requests > 0, 100 * errors / requests, 0)', ReturnData: true });
    expect(rate).toMatchObject({ ComparisonOperator: 'GreaterThanThreshold', Threshold: 1 });
  });

  it('throttles every HTTP route at the configured rate and burst', () => {
    expect(template.Resources.HttpApiStage!.Properties.DefaultRouteSettings).toMatchObject({ ThrottlingRateLimit: 100, ThrottlingBurstLimit: 200 });
    expect(configured.Resources.HttpApiStage!.Properties.DefaultRouteSettings).toMatchObject({ ThrottlingRateLimit: 50, ThrottlingBurstLimit: 80 });
  });

  it('reserves concurrency only for the functions a stage names', () => {
    const reserved = (t: Template) =>
      Object.fromEntries(ofType(t, 'AWS::Lambda::Function').filter(([, r]) => r.Properties.ReservedConcurrentExecutions !== undefined).map(([, r]) => [r.Properties.FunctionName, r.Properties.ReservedConcurrentExecutions]));
    expect(reserved(template)).toEqual({});
    expect(reserved(configured)).toEqual({ [`messaging-api-${LONG_STAGE}-send-to-endpoint`]: 40, [`messaging-api-${LONG_STAGE}-send-from-queue`]: 5 });
  });

  it('builds a dashboard whose references all name resources of the stack', () => {
    const body = template.Resources.Dashboard!.Properties.DashboardBody['Fn::Sub'] as string;
    const dashboard = JSON.parse(body);
    expect(dashboard.widgets.map((w: any) => w.properties.title)).toEqual(
      expect.arrayContaining(['HTTP requests and errors', 'Requests refused, by code and function', 'Dead-letter queues', 'Function errors']),
    );
    for (const [, reference] of body.matchAll(/\$\{([^}]+)\}/g)) expect(template.Resources[reference!.split('.')[0]!], reference).toBeDefined();
  });

  it('passes the credential caches to every function (the revocation delay)', () => {
    for (const [, fn] of ofType(template, 'AWS::Lambda::Function')) {
      expect(fn.Properties.Environment.Variables).toMatchObject({ CREDENTIAL_CACHE_SECONDS: '60', UNKNOWN_CREDENTIAL_CACHE_SECONDS: '10' });
    }
  });
});

describe('delivery', () => {
  const mappings = () => resources('AWS::Lambda::EventSourceMapping').map(([, r]) => r.Properties);
  const statementsOf = (fn: string) => dynamoStatements(template).filter((s) => s.fn === `messaging-api-prod-${fn}`);

  it("streams the table's new images into dispatch: new outgoing messages only, partial batches, bisection, bounded retries, a dead-letter queue", () => {
    expect(template.Resources.MessagesTable!.Properties.StreamSpecification).toEqual({ StreamViewType: 'NEW_IMAGE' });
    const stream = mappings().find((m) => JSON.stringify(m.EventSourceArn).includes('StreamArn'))!;
    expect(stream).toMatchObject({
      FunctionName: { 'Fn::GetAtt': ['DispatchLambdaFunction', 'Arn'] },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 5,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': ['DeliveryDeadLetterQueue', 'Arn'] } } },
    });
    expect(stream.FilterCriteria.Filters.map((f: { Pattern: string }) => JSON.parse(f.Pattern))).toEqual([
      { eventName: ['INSERT'], dynamodb: { NewImage: { type: { S: ['Message'] }, direction: { S: ['Outgoing'] } } } },
    ]);
  });

  it('wires AWS End User Messaging SMS: a configuration set whose events go to a topic only that service may publish to, read by delivery-status', () => {
    const set = template.Resources.SmsConfigurationSet!.Properties;
    expect(set.ConfigurationSetName).toBe('messaging-api-prod');
    expect(set.EventDestinations).toEqual([
      { EventDestinationName: 'delivery-status', Enabled: true, MatchingEventTypes: ['TEXT_ALL'], SnsDestination: { TopicArn: { Ref: 'DeliveryStatusTopic' } } },
    ]);
    const policy = resolve(template, template.Resources.DeliveryStatusTopicPolicy!.Properties.PolicyDocument);
    expect(policy.Statement).toEqual([
      expect.objectContaining({ Effect: 'Allow', Principal: { Service: 'sms-voice.amazonaws.com' }, Action: 'sns:Publish', Condition: { StringEquals: { 'aws:SourceAccount': '123456789012' } } }),
    ]);
    const subscription = resources('AWS::SNS::Subscription').map(([, r]) => r.Properties).filter((p) => p.TopicArn.Ref === 'DeliveryStatusTopic');
    expect(subscription).toEqual([expect.objectContaining({ Protocol: 'lambda', TopicArn: { Ref: 'DeliveryStatusTopic' }, Endpoint: { 'Fn::GetAtt': ['DeliveryDashstatusLambdaFunction', 'Arn'] } })]);
    const invokeConfig = resources('AWS::Lambda::EventInvokeConfig').map(([, r]) => r.Properties).find((p) => JSON.stringify(p.FunctionName).includes('DeliveryDashstatus'));
    expect(invokeConfig).toMatchObject({ MaximumRetryAttempts: 2, DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': ['DeliveryDeadLetterQueue', 'Arn'] } } } });
    const dispatch = template.Resources.DispatchLambdaFunction!.Properties.Environment.Variables;
    expect(dispatch.SMS_CONFIGURATION_SET).toBe('messaging-api-prod');
  });

  it('lets the delivery functions write deliveries (and the simulated carrier its records), never a message or a session', () => {
    expect(statementsOf('dispatch').flatMap((s) => s.leadingKeys)).toEqual(['DELIVERY#*', 'CARRIER#*']);
    expect(statementsOf('delivery-status')).toEqual([{ fn: 'messaging-api-prod-delivery-status', actions: ['dynamodb:UpdateItem'], leadingKeys: ['DELIVERY#*'] }]);
    expect(statementsOf('message-status')).toEqual([{ fn: 'messaging-api-prod-message-status', actions: ['dynamodb:GetItem'], leadingKeys: ['CREDENTIAL#*', 'SESSION#*', 'DELIVERY#*'] }]);
    expect(statementsOf('carrier-outbox').map((s) => [s.actions, s.leadingKeys])).toEqual([
      [['dynamodb:GetItem'], ['CREDENTIAL#*']],
      [['dynamodb:Query'], ['CARRIER#*']],
    ]);
    for (const fn of ['dispatch', 'delivery-status', 'message-status', 'carrier-outbox']) {
      for (const s of statementsOf(fn).filter((st) => st.actions.some((a) => WRITES.includes(a)))) {
        expect(s.leadingKeys!.filter((p) => like(p, 'SESSION#ses_demo')), `${fn} may write sessions and messages`).toEqual([]);
      }
    }
  });

  it("lets dispatch send SMS in this account and region only, and read only this table's stream", () => {
    const role = template.Resources[template.Resources.DispatchLambdaFunction!.Properties.Role['Fn::GetAtt'][0]]!;
    const statements: Statement[] = resolve(template, role.Properties.Policies.flatMap((p: any) => p.PolicyDocument.Statement));
    expect(statements.find((s) => [s.Action].flat().includes('sms-voice:SendTextMessage'))!.Resource).toBe('arn:aws:sms-voice:us-east-1:123456789012:*');
    const streamRead = statements.find((s) => [s.Action].flat().includes('dynamodb:GetRecords'))!;
    expect(JSON.stringify(streamRead.Resource)).toContain('StreamArn');
  });

  it('serves the status route and the simulated outbox, and bundles the four functions alone', () => {
    const routes = resources('AWS::ApiGatewayV2::Route').map(([, r]) => r.Properties.RouteKey);
    expect(routes).toEqual(expect.arrayContaining(['GET /sessions/{sessionId}/messages/{messageId}/status', 'GET /dev/carrier/outbox']));
    expect(artifacts).toEqual(expect.arrayContaining(['dispatch.zip', 'delivery-status.zip', 'message-status.zip', 'carrier-outbox.zip']));
  });
});

describe('replies', () => {
  const statementsOf = (fn: string) => dynamoStatements(template).filter((s) => s.fn === `messaging-api-prod-${fn}`);

  it('subscribes inbound to a topic only AWS End User Messaging SMS of this account may publish to, with retries and a dead-letter queue', () => {
    const policy = resolve(template, template.Resources.InboundTopicPolicy!.Properties.PolicyDocument);
    expect(policy.Statement).toEqual([
      expect.objectContaining({ Effect: 'Allow', Principal: { Service: 'sms-voice.amazonaws.com' }, Action: 'sns:Publish', Condition: { StringEquals: { 'aws:SourceAccount': '123456789012' } } }),
    ]);
    const subscription = resources('AWS::SNS::Subscription').map(([, r]) => r.Properties).filter((p) => p.TopicArn.Ref === 'InboundTopic');
    expect(subscription).toEqual([expect.objectContaining({ Protocol: 'lambda', Endpoint: { 'Fn::GetAtt': ['InboundLambdaFunction', 'Arn'] } })]);
    const invokeConfig = resources('AWS::Lambda::EventInvokeConfig').map(([, r]) => r.Properties).find((p) => JSON.stringify(p.FunctionName).includes('InboundLambdaFunction'));
    expect(invokeConfig).toMatchObject({ MaximumRetryAttempts: 2, DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': ['DeliveryDeadLetterQueue', 'Arn'] } } } });
  });

  it('lets inbound read numbers, endpoints, peers and sessions and write only peers and sessions (messages)', () => {
    expect(statementsOf('inbound').map((s) => [s.actions, s.leadingKeys])).toEqual([
      [['dynamodb:GetItem'], ['NUMBER#*', 'ENDPOINT#*', 'PEER#*', 'SESSION#*']],
      [['dynamodb:PutItem'], ['PEER#*', 'SESSION#*']],
    ]);
    expect(statementsOf('carrier-inbound').map((s) => [s.actions, s.leadingKeys])).toEqual([
      [['dynamodb:GetItem'], ['CREDENTIAL#*', 'NUMBER#*', 'ENDPOINT#*', 'PEER#*', 'SESSION#*']],
      [['dynamodb:PutItem'], ['PEER#*', 'SESSION#*']],
    ]);
  });

  it('serves the simulated inbound route and bundles both functions alone', () => {
    expect(resources('AWS::ApiGatewayV2::Route').map(([, r]) => r.Properties.RouteKey)).toContain('POST /dev/carrier/inbound');
    expect(artifacts).toEqual(expect.arrayContaining(['inbound.zip', 'carrier-inbound.zip']));
  });
});

describe('callbacks', () => {
  const statementsOf = (fn: string) => dynamoStatements(template).filter((s) => s.fn === `messaging-api-prod-${fn}`);
  const roleStatements = (fn: string): Statement[] => {
    const role = template.Resources[template.Resources[fn]!.Properties.Role['Fn::GetAtt'][0]]!;
    return resolve(template, role.Properties.Policies.flatMap((p: any) => p.PolicyDocument.Statement));
  };

  it('streams deliveries and incoming messages into callback-events, and the callback queue into callback-send', () => {
    const streams = resources('AWS::Lambda::EventSourceMapping').map(([, r]) => r.Properties).filter((m) => JSON.stringify(m.EventSourceArn).includes('StreamArn'));
    const events = streams.find((m) => JSON.stringify(m.FunctionName).includes('CallbackDasheventsLambdaFunction'))!;
    expect(events).toMatchObject({ FunctionResponseTypes: ['ReportBatchItemFailures'], BisectBatchOnFunctionError: true, MaximumRetryAttempts: 5 });
    expect(events.FilterCriteria.Filters.map((f: { Pattern: string }) => JSON.parse(f.Pattern))).toEqual([
      { eventName: ['INSERT', 'MODIFY'], dynamodb: { NewImage: { type: { S: ['Delivery'] } } } },
      { eventName: ['INSERT'], dynamodb: { NewImage: { type: { S: ['Message'] }, direction: { S: ['Incoming'] } } } },
    ]);
    const queue = resources('AWS::Lambda::EventSourceMapping').map(([, r]) => r.Properties).find((m) => JSON.stringify(m.FunctionName).includes('CallbackDashsendLambdaFunction'))!;
    expect(queue).toMatchObject({ EventSourceArn: { 'Fn::GetAtt': ['CallbackQueue', 'Arn'] }, FunctionResponseTypes: ['ReportBatchItemFailures'] });
    expect(template.Resources.CallbackQueue!.Properties.RedrivePolicy).toEqual({ deadLetterTargetArn: { 'Fn::GetAtt': ['CallbackDeadLetterQueue', 'Arn'] }, maxReceiveCount: 5 });
    expect(template.Resources.CallbackDasheventsLambdaFunction!.Properties.Environment.Variables.CALLBACK_ALLOW_PRIVATE).toBe('false');
  });

  it('lets the callback functions read subscriptions only, and send to their own queues only', () => {
    expect(statementsOf('callback-events')).toEqual([{ fn: 'messaging-api-prod-callback-events', actions: ['dynamodb:Query'], leadingKeys: ['CALLBACKS#*'] }]);
    expect(statementsOf('callback-send')).toEqual([{ fn: 'messaging-api-prod-callback-send', actions: ['dynamodb:GetItem'], leadingKeys: ['CALLBACKS#*'] }]);
    for (const fn of ['CallbackDasheventsLambdaFunction', 'CallbackDashsendLambdaFunction']) {
      const send = roleStatements(fn).find((s) => [s.Action].flat().includes('sqs:SendMessage'))!;
      expect(send.Resource).toEqual(['CallbackQueue.Arn', 'CallbackDeadLetterQueue.Arn']);
    }
    expect(artifacts).toEqual(expect.arrayContaining(['callback-events.zip', 'callback-send.zip']));
  });
});
