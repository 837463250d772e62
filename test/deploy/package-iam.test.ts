import { describe, expect, it } from 'vitest';
import { configured, dynamoStatements, dynamoStatementsOf, like, LONG_STAGE, prod, roleStatements, WRITES } from './template.js';

const { template, artifacts } = prod();
const statementsOf = (fn: string) => dynamoStatementsOf(template, fn);
/** The simulated carrier's functions exist only where a stage names it: the configured stage does. */
const { template: configuredTemplate } = configured();
const carrierStatementsOf = (fn: string) => dynamoStatementsOf(configuredTemplate, fn, LONG_STAGE);

describe('least privilege by key (dynamodb:LeadingKeys)', () => {
  it('puts a LeadingKeys condition on every DynamoDB statement of every role', () => {
    const statements = dynamoStatements(template);
    expect(statements.length).toBeGreaterThan(6);
    for (const s of statements)
      expect(s.leadingKeys, `${s.fn} ${s.actions}`).toEqual(expect.arrayContaining([expect.stringMatching(/^([A-Z_]+#|DIRECTORY$)/)]));
  });

  it('lets no role write credentials, accounts, endpoints or producer bindings, nor delete anything', () => {
    for (const s of dynamoStatements(template)) {
      expect(s.actions).not.toContain('dynamodb:DeleteItem');
      if (!s.actions.some((a) => WRITES.includes(a))) continue;
      for (const key of ['CREDENTIAL#x', 'ACCOUNT#x', 'ENDPOINT#x', 'PRODUCER#sqs#x', 'PRODUCER#events#1#x', 'DIRECTORY']) {
        expect(
          s.leadingKeys!.filter((p) => like(p, key)),
          `${s.fn} may write ${key}`,
        ).toEqual([]);
      }
    }
  });

  it('allows UpdateItem only on the edna counter and the quota counters, and to the delivery functions on deliveries (and the simulated carrier)', () => {
    const updates = dynamoStatements(template).filter((s) => s.actions.includes('dynamodb:UpdateItem'));
    const delivery = ['messaging-api-prod-dispatch', 'messaging-api-prod-delivery-status', 'messaging-api-prod-sweeper'];
    expect([...new Set(updates.map((s) => s.fn))].sort()).toEqual([
      'messaging-api-prod-delivery-status',
      'messaging-api-prod-dispatch',
      'messaging-api-prod-mark-read',
      'messaging-api-prod-outgoing-to-device',
      'messaging-api-prod-send-from-event',
      'messaging-api-prod-send-from-queue',
      'messaging-api-prod-send-to-endpoint',
      'messaging-api-prod-send-to-session',
      'messaging-api-prod-sweeper',
    ]);
    // MarkMessageRead clears isUnread of a message: its session's partition only.
    expect(updates.filter((u) => u.fn === 'messaging-api-prod-mark-read').map((u) => [u.actions, u.leadingKeys])).toEqual([
      [['dynamodb:UpdateItem'], ['SESSION#*']],
    ]);
    for (const s of updates.filter((u) => !delivery.includes(u.fn) && u.fn !== 'messaging-api-prod-mark-read')) {
      expect(s.actions).toEqual(['dynamodb:UpdateItem']);
      expect([['COUNTER#EDNA'], ['QUOTA#*']]).toContainEqual(s.leadingKeys);
    }
    for (const s of updates.filter((u) => delivery.includes(u.fn)))
      expect(s.leadingKeys!.every((k) => ['DELIVERY#*', 'CARRIER#*'].includes(k))).toBe(true);
  });

  it('lets every send function add to the quota counters and read only the limits attributes of an account', () => {
    for (const fn of ['send-to-session', 'send-to-endpoint', 'outgoing-to-device', 'send-from-queue', 'send-from-event']) {
      const statements = dynamoStatementsOf(template, fn);
      expect(statements.filter((s) => s.leadingKeys!.includes('QUOTA#*'))).toEqual([
        { fn: `messaging-api-prod-${fn}`, actions: ['dynamodb:UpdateItem'], leadingKeys: ['QUOTA#*'] },
      ]);
      // Serverless's logical ids: send-to-session -> SendDashtoDashsessionLambdaFunction.
      const role = roleStatements(template, `${fn.charAt(0).toUpperCase()}${fn.slice(1).replace(/-/g, 'Dash')}LambdaFunction`);
      const limits = role.find(
        (s) => JSON.stringify(s.Condition ?? {}).includes('ACCOUNT#*') && [s.Action].flat().includes('dynamodb:Query'),
      )!;
      expect([limits.Action].flat()).toEqual(['dynamodb:Query']);
      expect(limits.Condition['ForAllValues:StringEquals']['dynamodb:Attributes']).toEqual([
        'pk',
        'sk',
        'address',
        'countries',
        'dailyQuota',
      ]);
      expect(limits.Condition.StringEquals['dynamodb:Select']).toBe('SPECIFIC_ATTRIBUTES');
    }
  });

  it('gives list-session-messages reads of credentials and sessions only', () => {
    const list = statementsOf('list-session-messages');
    expect(list.flatMap((s) => s.actions).sort()).toEqual(['dynamodb:GetItem', 'dynamodb:Query']);
    expect(list.find((s) => s.actions.includes('dynamodb:Query'))!.leadingKeys).toEqual(['SESSION#*']);
  });
});

describe('delivery: roles', () => {
  it('lets the delivery functions write deliveries (and the simulated carrier its records), never a message or a session', () => {
    expect(statementsOf('dispatch').flatMap((s) => s.leadingKeys)).toEqual(['DELIVERY#*', 'CARRIER#*', 'OPTOUTS#*']);
    // The consent check at hand-off only reads the opt-out list.
    expect(statementsOf('dispatch').filter((s) => s.leadingKeys?.includes('OPTOUTS#*'))).toEqual([
      { fn: 'messaging-api-prod-dispatch', actions: ['dynamodb:GetItem'], leadingKeys: ['OPTOUTS#*'] },
    ]);
    expect(statementsOf('delivery-status')).toEqual([
      { fn: 'messaging-api-prod-delivery-status', actions: ['dynamodb:UpdateItem'], leadingKeys: ['DELIVERY#*'] },
    ]);
    expect(statementsOf('message-status')).toEqual([
      { fn: 'messaging-api-prod-message-status', actions: ['dynamodb:GetItem'], leadingKeys: ['CREDENTIAL#*', 'SESSION#*', 'DELIVERY#*'] },
    ]);
    expect(carrierStatementsOf('carrier-outbox').map((s) => [s.actions, s.leadingKeys])).toEqual([
      [['dynamodb:GetItem'], ['CREDENTIAL#*']],
      [['dynamodb:Query'], ['CARRIER#*']],
    ]);
    const delivery = ['dispatch', 'delivery-status', 'message-status'].map((fn) => statementsOf(fn));
    for (const statements of [...delivery, carrierStatementsOf('carrier-outbox')]) {
      for (const s of statements.filter((st) => st.actions.some((a) => WRITES.includes(a)))) {
        expect(
          s.leadingKeys!.filter((p) => like(p, 'SESSION#ses_demo')),
          `${s.fn} may write sessions and messages`,
        ).toEqual([]);
      }
    }
  });

  it("lets dispatch send SMS in this account and region only, and read only this table's stream", () => {
    const statements = roleStatements(template, 'DispatchLambdaFunction');
    expect(statements.find((s) => [s.Action].flat().includes('sms-voice:SendTextMessage'))!.Resource).toBe(
      'arn:aws:sms-voice:us-east-1:123456789012:*',
    );
    const streamRead = statements.find((s) => [s.Action].flat().includes('dynamodb:GetRecords'))!;
    expect(JSON.stringify(streamRead.Resource)).toContain('StreamArn');
  });
});

describe('sweeper: role', () => {
  it('lets the sweeper read the directory and the byAccount index, and write only deliveries (and the carrier), on a schedule', () => {
    const statements = roleStatements(template, 'SweeperLambdaFunction');
    expect(statementsOf('sweeper').map((s) => [s.actions, s.leadingKeys])).toEqual([
      [['dynamodb:Query'], ['DIRECTORY']],
      [['dynamodb:Query'], ['MESSAGES#*']],
      [
        ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
        ['DELIVERY#*', 'CARRIER#*'],
      ],
      [['dynamodb:GetItem'], ['OPTOUTS#*']],
    ]);
    const indexQuery = statements.find((s) => s.Condition?.['ForAllValues:StringLike']?.['dynamodb:LeadingKeys']?.[0] === 'MESSAGES#*')!;
    expect(JSON.stringify(indexQuery.Resource)).toContain('/index/byAccount');
    expect(statements.some((s) => [s.Action].flat().some((a) => a.startsWith('sqs:') || a === 'dynamodb:Scan'))).toBe(false);
    const rules = Object.values(template.Resources).filter((r: any) => r.Type === 'AWS::Events::Rule' && r.Properties.ScheduleExpression);
    expect(rules.map((r: any) => r.Properties.ScheduleExpression)).toEqual(['rate(5 minutes)']);
  });
});

describe('replies: roles', () => {
  it('lets inbound read numbers, endpoints, peers, sessions and the opt-out list, and write only peers, sessions (messages) and opt-outs', () => {
    expect(statementsOf('inbound').map((s) => [s.actions, s.leadingKeys])).toEqual([
      [['dynamodb:GetItem'], ['NUMBER#*', 'ENDPOINT#*', 'PEER#*', 'SESSION#*']],
      [['dynamodb:GetItem'], ['OPTOUTS#*', 'ACCOUNT#*']],
      [['dynamodb:PutItem'], ['PEER#*', 'SESSION#*', 'OPTOUTS#*']],
    ]);
    expect(carrierStatementsOf('carrier-inbound').map((s) => [s.actions, s.leadingKeys])).toEqual([
      [['dynamodb:GetItem'], ['CREDENTIAL#*', 'NUMBER#*', 'ENDPOINT#*', 'PEER#*', 'SESSION#*']],
      [['dynamodb:GetItem'], ['OPTOUTS#*', 'ACCOUNT#*']],
      [['dynamodb:PutItem'], ['PEER#*', 'SESSION#*', 'OPTOUTS#*']],
    ]);
  });
});

/** A function's one DynamoDB statement allowing `action`, with its whole condition. */
const statementAllowing = (functionId: string, action: string) =>
  roleStatements(template, functionId).filter((s) => [s.Action].flat().includes(action));

describe('narrow roles by attribute (dynamodb:Attributes)', () => {
  it('lets mark-read update isUnread only (no other attribute, nothing returned), of messages only', () => {
    expect(statementAllowing('MarkDashreadLambdaFunction', 'dynamodb:UpdateItem').map((s) => s.Condition)).toEqual([
      {
        'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['SESSION#*'] },
        'ForAllValues:StringEquals': { 'dynamodb:Attributes': ['pk', 'sk', 'isUnread'] },
        StringEqualsIfExists: { 'dynamodb:ReturnValues': ['NONE', 'UPDATED_NEW'] },
      },
    ]);
  });

  it('lets callback-events read whom each subscription wants, never its URL or secrets, and never a whole item', () => {
    expect(statementAllowing('CallbackDasheventsLambdaFunction', 'dynamodb:Query').map((s) => s.Condition)).toEqual([
      {
        'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['CALLBACKS#*'] },
        'ForAllValues:StringEquals': { 'dynamodb:Attributes': ['pk', 'sk', 'subscriptionId', 'accountId', 'events'] },
        StringEquals: { 'dynamodb:Select': 'SPECIFIC_ATTRIBUTES' },
      },
    ]);
  });
});

describe('callbacks: roles', () => {
  it('lets the callback functions read subscriptions only, and send to their own queues only', () => {
    expect(statementsOf('callback-events')).toEqual([
      { fn: 'messaging-api-prod-callback-events', actions: ['dynamodb:Query'], leadingKeys: ['CALLBACKS#*'] },
    ]);
    expect(statementsOf('callback-send')).toEqual([
      { fn: 'messaging-api-prod-callback-send', actions: ['dynamodb:GetItem'], leadingKeys: ['CALLBACKS#*'] },
    ]);
    for (const fn of ['CallbackDasheventsLambdaFunction', 'CallbackDashsendLambdaFunction']) {
      const send = roleStatements(template, fn).find((s) => [s.Action].flat().includes('sqs:SendMessage'))!;
      expect(send.Resource).toEqual(['CallbackQueue.Arn', 'CallbackDeadLetterQueue.Arn']);
    }
    expect(artifacts).toEqual(expect.arrayContaining(['callback-events.zip', 'callback-send.zip']));
  });
});
