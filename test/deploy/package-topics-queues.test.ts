import { describe, expect, it } from 'vitest';
import { resolve } from './resolve.js';
import { configured, OPERATORS, prod, queuePolicy, resources, roleArnOf, roleStatements, type Template } from './template.js';

const { template } = prod();
const { template: configuredTemplate } = configured();
const ACCOUNT = '123456789012';
const mappings = () => resources(template, 'AWS::Lambda::EventSourceMapping').map(([, r]) => r.Properties);

/**
 * A topic policy that lets AWS End User Messaging SMS of this account publish from `sourceArn`, and
 * denies every other publisher: an identity policy of the account (sns:Publish on "*") would
 * otherwise be enough (review 2026-12, H1).
 */
function expectOnlyEndUserMessagingSms(policyId: string, topicId: string, sourceArn: string) {
  const statements = template.Resources[policyId]!.Properties.PolicyDocument.Statement as { Resource: unknown }[];
  for (const s of statements) expect(s.Resource).toEqual({ Ref: topicId });
  expect(resolve(template, statements)).toEqual([
    expect.objectContaining({
      Effect: 'Allow',
      Principal: { Service: 'sms-voice.amazonaws.com' },
      Action: 'sns:Publish',
      Condition: { StringEquals: { 'aws:SourceAccount': ACCOUNT }, ArnLike: { 'aws:SourceArn': sourceArn } },
    }),
    // aws:PrincipalServiceName is absent for IAM principals, so StringNotEquals denies every one of them.
    expect.objectContaining({
      Effect: 'Deny',
      Principal: '*',
      Action: 'sns:Publish',
      Condition: { StringNotEquals: { 'aws:PrincipalServiceName': 'sms-voice.amazonaws.com' } },
    }),
    expect.objectContaining({
      Effect: 'Deny',
      Principal: '*',
      Action: 'sns:Publish',
      Condition: { StringNotEquals: { 'aws:SourceAccount': ACCOUNT } },
    }),
  ]);
}

/** The roles of the functions whose own policy lets them send to a queue. */
const writersOf = (t: Template, queueId: string) =>
  resources(t, 'AWS::Lambda::Function')
    .filter(([id]) =>
      roleStatements(t, id).some((s) => [s.Action].flat().includes('sqs:SendMessage') && [s.Resource].flat().includes(`${queueId}.Arn`)),
    )
    .map(([id]) => roleArnOf(t, id));
const TLS_ONLY = expect.objectContaining({
  Effect: 'Deny',
  Principal: '*',
  Action: 'sqs:*',
  Condition: { Bool: { 'aws:SecureTransport': 'false' } },
});

describe('delivery: the outbox stream and the status topic', () => {
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
      {
        EventDestinationName: 'delivery-status',
        Enabled: true,
        MatchingEventTypes: ['TEXT_ALL'],
        SnsDestination: { TopicArn: { Ref: 'DeliveryStatusTopic' } },
      },
    ]);
    expectOnlyEndUserMessagingSms(
      'DeliveryStatusTopicPolicy',
      'DeliveryStatusTopic',
      `arn:aws:sms-voice:us-east-1:${ACCOUNT}:configuration-set/messaging-api-prod`,
    );
    const subscription = resources(template, 'AWS::SNS::Subscription')
      .map(([, r]) => r.Properties)
      .filter((p) => p.TopicArn.Ref === 'DeliveryStatusTopic');
    expect(subscription).toEqual([
      expect.objectContaining({
        Protocol: 'lambda',
        TopicArn: { Ref: 'DeliveryStatusTopic' },
        Endpoint: { 'Fn::GetAtt': ['DeliveryDashstatusLambdaFunction', 'Arn'] },
      }),
    ]);
    const invokeConfig = resources(template, 'AWS::Lambda::EventInvokeConfig')
      .map(([, r]) => r.Properties)
      .find((p) => JSON.stringify(p.FunctionName).includes('DeliveryDashstatus'));
    expect(invokeConfig).toMatchObject({
      MaximumRetryAttempts: 2,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': ['DeliveryDeadLetterQueue', 'Arn'] } } },
    });
    const dispatch = template.Resources.DispatchLambdaFunction!.Properties.Environment.Variables;
    expect(dispatch.SMS_CONFIGURATION_SET).toBe('messaging-api-prod');
  });
});

describe('replies: the inbound topic', () => {
  it('subscribes inbound to a topic only AWS End User Messaging SMS of this account may publish to, with retries and a dead-letter queue', () => {
    expectOnlyEndUserMessagingSms('InboundTopicPolicy', 'InboundTopic', `arn:aws:sms-voice:us-east-1:${ACCOUNT}:*`);
    const subscription = resources(template, 'AWS::SNS::Subscription')
      .map(([, r]) => r.Properties)
      .filter((p) => p.TopicArn.Ref === 'InboundTopic');
    expect(subscription).toEqual([
      expect.objectContaining({ Protocol: 'lambda', Endpoint: { 'Fn::GetAtt': ['InboundLambdaFunction', 'Arn'] } }),
    ]);
    const invokeConfig = resources(template, 'AWS::Lambda::EventInvokeConfig')
      .map(([, r]) => r.Properties)
      .find((p) => JSON.stringify(p.FunctionName).includes('InboundLambdaFunction'));
    expect(invokeConfig).toMatchObject({
      MaximumRetryAttempts: 2,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': ['DeliveryDeadLetterQueue', 'Arn'] } } },
    });
  });
});

describe('callbacks: the stream and the callback queue', () => {
  it('streams deliveries and incoming messages into callback-events, and the callback queue into callback-send', () => {
    const streams = mappings().filter((m) => JSON.stringify(m.EventSourceArn).includes('StreamArn'));
    const events = streams.find((m) => JSON.stringify(m.FunctionName).includes('CallbackDasheventsLambdaFunction'))!;
    expect(events).toMatchObject({
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 5,
    });
    expect(events.FilterCriteria.Filters.map((f: { Pattern: string }) => JSON.parse(f.Pattern))).toEqual([
      { eventName: ['INSERT', 'MODIFY'], dynamodb: { NewImage: { type: { S: ['Delivery'] } } } },
      { eventName: ['INSERT'], dynamodb: { NewImage: { type: { S: ['Message'] }, direction: { S: ['Incoming'] } } } },
      { eventName: ['INSERT'], dynamodb: { NewImage: { type: { S: ['ConsentChange'] } } } },
    ]);
    const queue = mappings().find((m) => JSON.stringify(m.FunctionName).includes('CallbackDashsendLambdaFunction'))!;
    expect(queue).toMatchObject({
      EventSourceArn: { 'Fn::GetAtt': ['CallbackQueue', 'Arn'] },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    expect(template.Resources.CallbackQueue!.Properties.RedrivePolicy).toEqual({
      deadLetterTargetArn: { 'Fn::GetAtt': ['CallbackDeadLetterQueue', 'Arn'] },
      maxReceiveCount: 5,
    });
    expect(template.Resources.CallbackDasheventsLambdaFunction!.Properties.Environment.Variables.CALLBACK_ALLOW_PRIVATE).toBe('false');
  });
});

describe('who may write to the queues that feed functions and to the dead-letter queues', () => {
  const callbackRoles = ['CallbackDasheventsIamRoleLambdaExecution.Arn', 'CallbackDashsendIamRoleLambdaExecution.Arn'];

  it('lets only the two callback functions put a job on the callback queue, and the configured operators (a redrive), only over TLS', () => {
    expect(writersOf(template, 'CallbackQueue')).toEqual(callbackRoles);
    expect(queuePolicy(template, 'CallbackQueue')).toEqual([
      expect.objectContaining({ Effect: 'Allow', Principal: { AWS: callbackRoles }, Action: 'sqs:SendMessage' }),
      expect.objectContaining({
        Effect: 'Deny',
        Principal: '*',
        Action: 'sqs:SendMessage',
        Condition: { ArnNotLike: { 'aws:PrincipalArn': callbackRoles } },
      }),
      TLS_ONLY,
    ]);
    expect(queuePolicy(configuredTemplate, 'CallbackQueue')).toContainEqual(
      expect.objectContaining({
        Effect: 'Deny',
        Principal: '*',
        Action: 'sqs:SendMessage',
        Condition: { ArnNotLike: { 'aws:PrincipalArn': [...callbackRoles, ...OPERATORS] } },
      }),
    );
  });

  it.each([
    ['SendDeadLetterQueue', ['SendDashfromDashqueueIamRoleLambdaExecution.Arn']],
    ['EventDeadLetterQueue', ['SendDashfromDasheventIamRoleLambdaExecution.Arn']],
    [
      'DeliveryDeadLetterQueue',
      ['DispatchIamRoleLambdaExecution.Arn', 'DeliveryDashstatusIamRoleLambdaExecution.Arn', 'InboundIamRoleLambdaExecution.Arn'],
    ],
    ['CallbackDeadLetterQueue', callbackRoles],
  ])('lets into %s only the functions that dead-letter there (their on-failure destinations included), only over TLS', (queue, roles) => {
    // Every function whose role may send there is exempt, and no other: a new writer must be added here.
    expect(writersOf(template, queue).sort()).toEqual([...roles].sort());
    const statements = queuePolicy(template, queue)!;
    expect(statements).toContainEqual(expect.objectContaining({ Effect: 'Allow', Principal: { AWS: roles }, Action: 'sqs:SendMessage' }));
    const deny = statements.find((s) => s.Effect === 'Deny' && s.Action === 'sqs:SendMessage');
    // EventBridge itself dead-letters events it could not deliver (the Allow binds it to the rule).
    const service = queue === 'EventDeadLetterQueue' ? { StringNotEquals: { 'aws:PrincipalServiceName': 'events.amazonaws.com' } } : {};
    expect(deny).toMatchObject({ Principal: '*' });
    expect(deny?.Condition).toEqual({ ArnNotEquals: { 'aws:PrincipalArn': roles }, ...service });
    expect(statements).toContainEqual(TLS_ONLY);
  });

  it('lets no queue but its own source move messages into a dead-letter queue', () => {
    const arn = (queue: string) => `arn:aws:sqs:us-east-1:${ACCOUNT}:${template.Resources[queue]!.Properties.QueueName}`;
    const allowed = (queue: string) => resolve(template, template.Resources[queue]!.Properties.RedriveAllowPolicy);
    expect(allowed('SendDeadLetterQueue')).toEqual({ redrivePermission: 'byQueue', sourceQueueArns: [arn('SendQueue')] });
    expect(allowed('CallbackDeadLetterQueue')).toEqual({ redrivePermission: 'byQueue', sourceQueueArns: [arn('CallbackQueue')] });
    expect(allowed('DeliveryDeadLetterQueue')).toEqual({ redrivePermission: 'denyAll' });
    expect(allowed('EventDeadLetterQueue')).toEqual({ redrivePermission: 'denyAll' });
  });
});
