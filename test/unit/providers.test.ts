import {
  AccessDeniedException,
  InternalServerException,
  PinpointSMSVoiceV2Client,
  ResourceNotFoundException,
  SendTextMessageCommand,
  ThrottlingException,
  ValidationException,
} from '@aws-sdk/client-pinpoint-sms-voice-v2';
import type { SNSEventRecord } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { OutboundMessage } from '../../lib/domain/delivery/provider.js';
import { awsSmsEvent, parseAwsSmsEvent } from '../../lib/providers/aws-sms/reports.js';
import { logger } from '../../lib/log.js';
import { awsSmsProvider } from '../../lib/providers/aws-sms/send.js';
import { simulatedProvider, type CarrierStore, type Handoff, type ScheduledReport } from '../../lib/providers/simulated/carrier.js';
import { loadConfig } from '../../lib/runtime/config.js';
import { statusReader, usedProviders } from '../../lib/runtime/delivery.js';
import { notificationOf } from '../../lib/wire/sns.js';
import { snsEvent } from '../../scripts/carrier-local.js';

const outbound = (to = '+15556667777'): OutboundMessage => ({
  messageId: '01KW3Q4ZJ2B9T8F0S6M1C5H7RD',
  sessionId: 'ses_demo',
  accountId: 'acct_demo',
  channel: 'SMS',
  from: '+15550001111',
  to,
  text: 'Hello',
  segments: 1,
});

/** A status event as delivery-status reads it, on a stage that uses aws-sms, and the simulated carrier too if `simulated`. */
const statusReportOf = (record: SNSEventRecord, simulated: boolean) =>
  statusReader(simulated ? ['aws-sms', 'simulated'] : ['aws-sms'])(notificationOf(record));
const loadDeliveryConfig = (env: Record<string, string>) => {
  const channels = usedProviders(loadConfig(env));
  return { providerOf: channels.providerOf, simulated: channels.used.includes('simulated') };
};

describe('aws-sms (AWS End User Messaging SMS), against a mocked SDK', () => {
  const sms = mockClient(PinpointSMSVoiceV2Client);
  const provider = awsSmsProvider(
    { configurationSetName: 'messaging-api-prod', timeToLiveSeconds: 3600 },
    new PinpointSMSVoiceV2Client({ region: 'us-east-1' }),
  );
  beforeEach(() => sms.reset());

  it('sends one SendTextMessage from the endpoint number with the configuration set and our ids as Context', async () => {
    sms.on(SendTextMessageCommand).resolves({ MessageId: 'aws-msg-1' });
    expect(await provider.send(outbound())).toEqual({ kind: 'accepted', providerMessageId: 'aws-msg-1' });
    expect(sms.commandCalls(SendTextMessageCommand).map((c) => c.args[0].input)).toEqual([
      {
        DestinationPhoneNumber: '+15556667777',
        OriginationIdentity: '+15550001111',
        MessageBody: 'Hello',
        MessageType: 'TRANSACTIONAL',
        ConfigurationSetName: 'messaging-api-prod',
        TimeToLive: 3600,
        Context: { messageId: '01KW3Q4ZJ2B9T8F0S6M1C5H7RD', accountId: 'acct_demo' },
      },
    ]);
    expect(provider.idempotent).toBe(false);
  });

  it.each([
    [
      'throttling: retryable',
      new ThrottlingException({ message: 'Rate exceeded', $metadata: {} }),
      { kind: 'rejected', retryable: true, errorCode: 'ThrottlingException' },
    ],
    [
      'validation: final, with its reason',
      new ValidationException({ message: 'bad number', Reason: 'INVALID_PARAMETER', $metadata: {} }),
      { kind: 'rejected', retryable: false, errorCode: 'ValidationException:INVALID_PARAMETER' },
    ],
    ['an internal error: ambiguous', new InternalServerException({ message: 'oops', $metadata: {} }), { kind: 'ambiguous' }],
    ['a timeout: ambiguous', Object.assign(new Error('socket hang up'), { name: 'TimeoutError' }), { kind: 'ambiguous' }],
  ])('%s', async (_what, error, expected) => {
    sms.on(SendTextMessageCommand).rejects(error);
    expect(await provider.send(outbound())).toMatchObject(expected);
    expect(sms.commandCalls(SendTextMessageCommand)).toHaveLength(1);
  });

  it('tells the tenant fixed words per error, never AWS text (role ARNs, account ids), which only the log gets', async () => {
    const secretText =
      'User: arn:aws:sts::123456789012:assumed-role/messaging-api-prod-dispatch/fn is not authorized on phone-number/phone-0123';
    const warn = vi.spyOn(logger, 'warn').mockImplementation(() => undefined);
    const errors = [
      new AccessDeniedException({ message: secretText, Reason: 'ACCOUNT_DISABLED', $metadata: {} }),
      new ValidationException({ message: secretText, Reason: 'INVALID_PARAMETER', $metadata: {} }),
      new ResourceNotFoundException({ message: secretText, ResourceType: 'phone-number', ResourceId: 'phone-0123', $metadata: {} }),
      new ThrottlingException({ message: secretText, $metadata: {} }),
      new InternalServerException({ message: secretText, $metadata: {} }),
      Object.assign(new Error(secretText), { name: 'TimeoutError', Reason: 'arn:aws:iam::123456789012:role/x' }),
    ];
    const results = [];
    for (const error of errors) {
      sms.on(SendTextMessageCommand).rejects(error);
      results.push(await provider.send(outbound()));
    }
    expect(results.map((r) => ('errorCode' in r ? r.errorCode : r.kind))).toEqual([
      'AccessDeniedException:ACCOUNT_DISABLED',
      'ValidationException:INVALID_PARAMETER',
      'ResourceNotFoundException',
      'ThrottlingException',
      'ambiguous',
      'ambiguous',
    ]);
    expect(results[0]).toEqual({
      kind: 'rejected',
      retryable: false,
      errorCode: 'AccessDeniedException:ACCOUNT_DISABLED',
      errorMessage: 'The SMS service refused the hand-off: this service may not send from this number.',
    });
    expect(JSON.stringify(results)).not.toMatch(/arn:|123456789012|phone-0123/);
    expect(warn).toHaveBeenCalledWith('SendTextMessage failed', expect.objectContaining({ error: secretText }));
    warn.mockRestore();
  });

  it("reads AWS's documented status events from SNS", () => {
    const event = {
      eventType: 'TEXT_SUCCESSFUL',
      eventVersion: '1.0',
      eventTimestamp: 1686975103470,
      isFinal: true,
      originationPhoneNumber: '+12065550152',
      destinationPhoneNumber: '+14255550156',
      isInternationalSend: false,
      mcc: '310',
      mnc: '800',
      messageId: '862a8790-60ec-4df7-88a5-bd2ca2f32b48',
      messageRequestTimestamp: 1686975103170,
      messageEncoding: 'GSM',
      messageType: 'TRANSACTIONAL',
      messageStatus: 'SUCCESSFUL',
      messageStatusDescription: 'Message has been accepted by phone carrier',
      context: { messageId: '01KW3Q4ZJ2B9T8F0S6M1C5H7RD', accountId: 'acct_demo' },
      totalMessageParts: 1,
      totalMessagePrice: 0.00581,
      totalCarrierFee: 0.00767,
    };
    const record = (body: object, id = 'sns-1') => snsEvent(body, id).Records[0] as SNSEventRecord;
    expect(statusReportOf(record(event), false)).toEqual({
      reportId: 'sns-1',
      messageId: '01KW3Q4ZJ2B9T8F0S6M1C5H7RD',
      provider: 'aws-sms',
      status: 'delivered',
      providerStatus: 'TEXT_SUCCESSFUL',
      providerMessageId: event.messageId,
      occurredAt: '2023-06-17T04:11:43.470Z',
    });
    expect(statusReportOf(record({ ...event, isFinal: false }), false)?.status).toBe('sent');
    expect(
      statusReportOf(record({ ...event, eventType: 'TEXT_CARRIER_UNREACHABLE', messageStatus: 'CARRIER_UNREACHABLE' }), false),
    ).toMatchObject({ status: 'undelivered', errorCode: 'CARRIER_UNREACHABLE' });
    expect(statusReportOf(record({ ...event, eventType: 'TEXT_TTL_EXPIRED', messageStatus: 'TTL_EXPIRED' }), false)?.status).toBe(
      'expired',
    );
    expect(statusReportOf(record({ ...event, eventType: 'VOICE_ANSWERED' }), false)).toBeUndefined();
    expect(statusReportOf(record({ hello: 'world' }), false)).toBeUndefined();
    expect(parseAwsSmsEvent('x', awsSmsEvent.parse({ ...event, eventType: 'TEXT_QUEUED' }))?.status).toBe('queued');
  });
});

/** The carrier's storage in memory, as the table keeps it. */
function memoryCarrier(): CarrierStore & { handoffs: Map<string, Handoff>; reports: ScheduledReport[] } {
  const handoffs = new Map<string, Handoff>();
  const reports: ScheduledReport[] = [];
  return {
    handoffs,
    reports,
    async recordCall(message, at) {
      const record = handoffs.get(message.messageId) ?? { ...message, calls: 0, firstCallAt: at };
      record.calls++;
      handoffs.set(message.messageId, record);
      return { ...record };
    },
    async accept(messageId, providerMessageId, at, scheduled) {
      const record = handoffs.get(messageId)!;
      if (record.providerMessageId) return record.providerMessageId;
      Object.assign(record, { providerMessageId, handedOffAt: at });
      reports.push(...scheduled);
      return providerMessageId;
    },
  };
}

describe('the simulated carrier, on an injected clock', () => {
  const clock = { now: () => new Date('2026-11-25T00:00:00.000Z') };
  let n = 0;
  const ids = { next: () => `ID${++n}` };

  it('hands off once per message id (its idempotency token) and schedules its reports on its clock', async () => {
    const store = memoryCarrier();
    const carrier = simulatedProvider(store, clock, ids);
    const first = await carrier.send(outbound('+15550000009'));
    const again = await carrier.send(outbound('+15550000009'));
    expect(again).toEqual(first);
    expect(store.handoffs.get(outbound().messageId)).toMatchObject({ calls: 2, handedOffAt: '2026-11-25T00:00:00.000Z' });
    expect(store.reports.map((r) => [r.dueAt, r.body.status])).toEqual([
      ['2026-11-25T00:00:00.050Z', 'DELIVERED'],
      ['2026-11-25T00:00:00.100Z', 'READ'],
    ]);
  });

  it('throttles the first call of ...03, refuses ...01, repeats one report id for ...06', async () => {
    const store = memoryCarrier();
    const carrier = simulatedProvider(store, clock, ids);
    expect(await carrier.send(outbound('+15550000003'))).toMatchObject({ kind: 'rejected', retryable: true, errorCode: 'THROTTLED' });
    expect(await carrier.send(outbound('+15550000003'))).toMatchObject({ kind: 'accepted' });
    expect(await carrier.send({ ...outbound('+15550000001'), messageId: 'other' })).toMatchObject({
      kind: 'rejected',
      retryable: false,
      errorCode: 'INVALID_NUMBER',
    });
    await carrier.send({ ...outbound('+15550000006'), messageId: 'dup' });
    const ids06 = store.reports.filter((r) => r.body.messageId === 'dup').map((r) => r.body.reportId);
    expect(ids06).toHaveLength(2);
    expect(new Set(ids06).size).toBe(1);
  });

  it('takes simulated reports only on a stage that uses the simulated carrier', () => {
    const body = {
      provider: 'simulated',
      reportId: 'r1',
      messageId: 'm1',
      providerMessageId: 'p1',
      status: 'DELIVERED',
      occurredAt: '2026-11-25T00:00:00.000Z',
    };
    const record = snsEvent(body).Records[0] as SNSEventRecord;
    expect(statusReportOf(record, true)).toMatchObject({ status: 'delivered', provider: 'simulated', providerStatus: 'DELIVERED' });
    expect(statusReportOf(record, false)).toBeUndefined();
  });
});

describe('delivery configuration', () => {
  it('maps channels to providers, simulated by default in the local stack; aws-sms needs a configuration set', () => {
    const local = loadDeliveryConfig({ IS_OFFLINE: 'true' });
    expect([local.providerOf('SMS'), local.providerOf('WHATSAPP'), local.simulated]).toEqual(['simulated', 'simulated', true]);
    const prod = loadDeliveryConfig({ DELIVERY_PROVIDERS: 'SMS=aws-sms,*=log,WHATSAPP=simulated', SMS_CONFIGURATION_SET: 'cs' });
    expect([prod.providerOf('sms'), prod.providerOf('WHATSAPP')]).toEqual(['aws-sms', 'simulated']);
    expect(loadDeliveryConfig({ DELIVERY_PROVIDERS: 'SMS=aws-sms,*=log', SMS_CONFIGURATION_SET: 'cs' }).simulated).toBe(false);
    expect(() => loadDeliveryConfig({ DELIVERY_PROVIDERS: 'SMS=aws-sms', IS_OFFLINE: 'true' })).toThrow(/SMS_CONFIGURATION_SET/);
    expect(() => loadDeliveryConfig({ DELIVERY_PROVIDERS: 'SMS=twilio' })).toThrow(
      "DELIVERY_PROVIDERS: 'SMS=twilio': no provider 'twilio' (known: simulated, aws-sms, log)",
    );
  });
});
