import { describe, expect, it } from 'vitest';
import { resolve } from './resolve.js';
import { prod, resources } from './template.js';

const { template } = prod();
const mappings = () => resources(template, 'AWS::Lambda::EventSourceMapping').map(([, r]) => r.Properties);

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
      { EventDestinationName: 'delivery-status', Enabled: true, MatchingEventTypes: ['TEXT_ALL'], SnsDestination: { TopicArn: { Ref: 'DeliveryStatusTopic' } } },
    ]);
    const policy = resolve(template, template.Resources.DeliveryStatusTopicPolicy!.Properties.PolicyDocument);
    expect(policy.Statement).toEqual([
      expect.objectContaining({ Effect: 'Allow', Principal: { Service: 'sms-voice.amazonaws.com' }, Action: 'sns:Publish', Condition: { StringEquals: { 'aws:SourceAccount': '123456789012' } } }),
    ]);
    const subscription = resources(template, 'AWS::SNS::Subscription').map(([, r]) => r.Properties).filter((p) => p.TopicArn.Ref === 'DeliveryStatusTopic');
    expect(subscription).toEqual([expect.objectContaining({ Protocol: 'lambda', TopicArn: { Ref: 'DeliveryStatusTopic' }, Endpoint: { 'Fn::GetAtt': ['DeliveryDashstatusLambdaFunction', 'Arn'] } })]);
    const invokeConfig = resources(template, 'AWS::Lambda::EventInvokeConfig').map(([, r]) => r.Properties).find((p) => JSON.stringify(p.FunctionName).includes('DeliveryDashstatus'));
    expect(invokeConfig).toMatchObject({ MaximumRetryAttempts: 2, DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': ['DeliveryDeadLetterQueue', 'Arn'] } } } });
    const dispatch = template.Resources.DispatchLambdaFunction!.Properties.Environment.Variables;
    expect(dispatch.SMS_CONFIGURATION_SET).toBe('messaging-api-prod');
  });
});

describe('replies: the inbound topic', () => {
  it('subscribes inbound to a topic only AWS End User Messaging SMS of this account may publish to, with retries and a dead-letter queue', () => {
    const policy = resolve(template, template.Resources.InboundTopicPolicy!.Properties.PolicyDocument);
    expect(policy.Statement).toEqual([
      expect.objectContaining({ Effect: 'Allow', Principal: { Service: 'sms-voice.amazonaws.com' }, Action: 'sns:Publish', Condition: { StringEquals: { 'aws:SourceAccount': '123456789012' } } }),
    ]);
    const subscription = resources(template, 'AWS::SNS::Subscription').map(([, r]) => r.Properties).filter((p) => p.TopicArn.Ref === 'InboundTopic');
    expect(subscription).toEqual([expect.objectContaining({ Protocol: 'lambda', Endpoint: { 'Fn::GetAtt': ['InboundLambdaFunction', 'Arn'] } })]);
    const invokeConfig = resources(template, 'AWS::Lambda::EventInvokeConfig').map(([, r]) => r.Properties).find((p) => JSON.stringify(p.FunctionName).includes('InboundLambdaFunction'));
    expect(invokeConfig).toMatchObject({ MaximumRetryAttempts: 2, DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': ['DeliveryDeadLetterQueue', 'Arn'] } } } });
  });
});

describe('callbacks: the stream and the callback queue', () => {
  it('streams deliveries and incoming messages into callback-events, and the callback queue into callback-send', () => {
    const streams = mappings().filter((m) => JSON.stringify(m.EventSourceArn).includes('StreamArn'));
    const events = streams.find((m) => JSON.stringify(m.FunctionName).includes('CallbackDasheventsLambdaFunction'))!;
    expect(events).toMatchObject({ FunctionResponseTypes: ['ReportBatchItemFailures'], BisectBatchOnFunctionError: true, MaximumRetryAttempts: 5 });
    expect(events.FilterCriteria.Filters.map((f: { Pattern: string }) => JSON.parse(f.Pattern))).toEqual([
      { eventName: ['INSERT', 'MODIFY'], dynamodb: { NewImage: { type: { S: ['Delivery'] } } } },
      { eventName: ['INSERT'], dynamodb: { NewImage: { type: { S: ['Message'] }, direction: { S: ['Incoming'] } } } },
    ]);
    const queue = mappings().find((m) => JSON.stringify(m.FunctionName).includes('CallbackDashsendLambdaFunction'))!;
    expect(queue).toMatchObject({ EventSourceArn: { 'Fn::GetAtt': ['CallbackQueue', 'Arn'] }, FunctionResponseTypes: ['ReportBatchItemFailures'] });
    expect(template.Resources.CallbackQueue!.Properties.RedrivePolicy).toEqual({ deadLetterTargetArn: { 'Fn::GetAtt': ['CallbackDeadLetterQueue', 'Arn'] }, maxReceiveCount: 5 });
    expect(template.Resources.CallbackDasheventsLambdaFunction!.Properties.Environment.Variables.CALLBACK_ALLOW_PRIVATE).toBe('false');
  });
});
