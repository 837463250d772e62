import { describe, expect, it } from 'vitest';
import type { Delivery } from '../../lib/domain/delivery/delivery.js';
import { HISTORY_LIMIT } from '../../lib/domain/delivery/history.js';
import { ulidGenerator } from '../../lib/ids.js';
import { carrierOutbox, carrierStore } from '../../lib/store/carrier.js';
import { abandonHandOff, changeDelivery, claimDelivery, getDelivery, startHandOff } from '../../lib/store/deliveries.js';
import { keys } from '../../lib/store/keys.js';
import { item, table } from '../support/stack.js';

const ids = ulidGenerator();
const claim = (messageId = ids.next()): Delivery => ({
  messageId,
  sessionId: 'ses_demo',
  accountId: 'acct_demo',
  channel: 'SMS',
  provider: 'simulated',
  attemptId: 'record-1',
  invocationId: ids.next(),
  claimedAt: '2026-11-25T00:00:01.000Z',
  attempts: 0,
  segments: 1,
  encoding: 'GSM-7',
  status: 'sending',
  statusUpdatedAt: '2026-11-25T00:00:01.000Z',
  history: [
    { status: 'accepted', date: '2026-11-25T00:00:00.000Z', source: 'dispatch', applied: true },
    { status: 'sending', date: '2026-11-25T00:00:01.000Z', source: 'dispatch', applied: true },
  ],
});
const change = (reportId: string, status: Delivery['status'], extra: object = {}) => ({
  reportId,
  status,
  date: '2026-11-25T00:00:01.000Z',
  source: 'sim',
  ...extra,
});

describe('deliveries against DynamoDB Local', () => {
  it('claims a message once; a second claim gets the first back in the same call', async () => {
    const first = claim();
    expect(await claimDelivery(table, first)).toBeUndefined();
    expect(await claimDelivery(table, { ...first, attemptId: 'record-2', invocationId: 'other' })).toEqual(first);
  });

  it('applies a change only forward, keeps every other report once, and keeps the provider id whichever way', async () => {
    const { messageId } = claim();
    await claimDelivery(table, claim(messageId));
    expect(await changeDelivery(table, messageId, change('d', 'delivered', { providerStatus: 'DELIVERED' }))).toBe('applied');
    expect(await changeDelivery(table, messageId, change('d', 'delivered'))).toBe('duplicate');
    expect(await changeDelivery(table, messageId, change('dispatch:sent', 'sent', { providerMessageId: 'pm-1', attempts: 1 }))).toBe(
      'kept',
    );
    expect(await changeDelivery(table, messageId, change('u', 'undelivered', { errorCode: 'LOST' }))).toBe('applied');
    expect(await changeDelivery(table, messageId, change('dd', 'delivered'))).toBe('kept');
    expect(await changeDelivery(table, ids.next(), change('x', 'sent'))).toBe('missing');
    const stored = await getDelivery(table, messageId, true);
    expect(stored!.providerStatus).toBeUndefined();
    expect(stored).toMatchObject({
      status: 'undelivered',
      errorCode: 'LOST',
      providerMessageId: 'pm-1',
      statusUpdatedAt: '2026-11-25T00:00:01.000Z',
    });
    expect(stored!.history.map((h) => [h.status, h.applied])).toEqual([
      ['accepted', true],
      ['sending', true],
      ['delivered', true],
      ['sent', false],
      ['undelivered', true],
      ['delivered', false],
    ]);
  });

  it("rejects a report for another provider or another provider message id, by the write's condition; a report overtaking the hand-off records its id", async () => {
    const { messageId } = claim();
    await claimDelivery(table, claim(messageId));
    const report = (reportId: string, status: Delivery['status'], provider: string, providerMessageId: string) =>
      changeDelivery(table, messageId, change(reportId, status, { source: provider, match: { provider, providerMessageId } }));
    expect(await report('forged', 'undelivered', 'aws-sms', 'pm-1')).toBe('rejected');
    expect(await report('forged', 'undelivered', 'aws-sms', 'pm-1')).toBe('duplicate');
    // Before the dispatcher recorded the hand-off, the first report of its provider records the id.
    expect(await report('early', 'delivered', 'simulated', 'pm-1')).toBe('applied');
    expect(await report('other', 'failed', 'simulated', 'pm-2')).toBe('rejected');
    expect(await report('late', 'sent', 'simulated', 'pm-1')).toBe('kept');
    expect(await report('read', 'read', 'simulated', 'pm-1')).toBe('applied');
    // The dispatcher's own record of the hand-off: the provider's answer, kept (the status is past it).
    expect(await changeDelivery(table, messageId, change('dispatch:sent', 'sent', { providerMessageId: 'pm-1', attempts: 1 }))).toBe(
      'kept',
    );
    const stored = await getDelivery(table, messageId, true);
    expect(stored).toMatchObject({ status: 'read', providerMessageId: 'pm-1' });
    expect(stored!.history.slice(2).map((h) => [h.status, h.source, h.applied, h.rejected])).toEqual([
      ['undelivered', 'aws-sms', false, 'provider-mismatch'],
      ['delivered', 'simulated', true, undefined],
      ['failed', 'simulated', false, 'provider-mismatch'],
      ['sent', 'simulated', false, undefined],
      ['read', 'simulated', true, undefined],
      ['sent', 'sim', false, undefined],
    ]);
  });

  it('bounds the history and the report ids: every applied change and the newest reports kept, the rest counted', async () => {
    const { messageId } = claim();
    await claimDelivery(table, claim(messageId));
    const report = (reportId: string, status: Delivery['status'], extra: object = {}) =>
      changeDelivery(
        table,
        messageId,
        change(reportId, status, { source: 'simulated', match: { provider: 'simulated', providerMessageId: 'pm-1' }, ...extra }),
      );
    expect(await report('delivered', 'delivered')).toBe('applied');
    for (let i = 1; i <= 60; i++) expect(await report(`late-${i}`, 'sent', { providerStatus: `S${i}` })).toBe('kept');
    expect(await report('other', 'failed', { match: { provider: 'simulated', providerMessageId: 'pm-2' } })).toBe('rejected');
    expect(await report('read', 'read')).toBe('applied');
    const raw = (await item(keys.delivery(messageId)))!;
    const stored = (await getDelivery(table, messageId, true))!;
    expect(stored.history.length).toBeLessThanOrEqual(HISTORY_LIMIT);
    expect(stored.historyDropped! + stored.history.length).toBe(2 + 1 + 60 + 1 + 1);
    expect(stored.history.filter((h) => h.applied).map((h) => h.status)).toEqual(['accepted', 'sending', 'delivered', 'read']);
    expect(stored.history.at(-2)).toMatchObject({ status: 'failed', rejected: 'provider-mismatch' });
    const late = stored.history.filter((h) => h.providerStatus?.startsWith('S')).map((h) => h.providerStatus);
    expect(late.at(-1)).toBe('S60');
    expect(late).toHaveLength(60 - stored.historyDropped!);
    // The ids of dropped reports are forgotten with them; the window's are remembered.
    expect((raw.reportIds as Set<string>).size).toBe(stored.history.length);
    expect(await report('late-60', 'sent')).toBe('duplicate');
    expect(await report('read', 'read')).toBe('duplicate');
    expect(await changeDelivery(table, messageId, change('dispatch:sending', 'sending'))).toBe('duplicate');
  });

  it('the hand-off marker: set once, by the claim holder only; its own repeat recognised; a takeover moves the claim; cleared by the holder', async () => {
    const queued = claim();
    const { messageId } = queued;
    queued.status = 'queued';
    queued.history = [queued.history[0]!, { ...queued.history[1]!, status: 'queued' }];
    await claimDelivery(table, queued);
    const at = '2026-11-25T00:00:02.000Z';
    expect(await startHandOff(table, messageId, { from: 'someone-else', to: 'b', at, queued: true })).toBe(false);
    expect(await startHandOff(table, messageId, { from: queued.invocationId, to: queued.invocationId, at, queued: true })).toBe(true);
    // The same write again (an SDK retry whose first answer was lost): recognised as this invocation's.
    expect(await startHandOff(table, messageId, { from: queued.invocationId, to: queued.invocationId, at, queued: true })).toBe(true);
    // Another invocation of the record can not take a claim whose hand-off started.
    expect(
      await startHandOff(table, messageId, { from: queued.invocationId, to: 'b', at: '2026-11-25T00:00:03.000Z', queued: false }),
    ).toBe(false);
    const marked = await getDelivery(table, messageId, true);
    expect(marked).toMatchObject({ status: 'sending', handOffStartedAt: at, invocationId: queued.invocationId });
    expect(marked!.history.map((h) => h.status)).toEqual(['accepted', 'queued', 'sending']);
    expect(await changeDelivery(table, messageId, change('dispatch:sending', 'sending'))).toBe('duplicate');

    await abandonHandOff(table, messageId, 'b');
    expect((await getDelivery(table, messageId, true))!.handOffStartedAt).toBe(at);
    await abandonHandOff(table, messageId, queued.invocationId);
    expect((await getDelivery(table, messageId, true))!.handOffStartedAt).toBeUndefined();
    // Cleared (the provider certainly did not take it): a redelivery takes the `sending` claim over.
    const later = '2026-11-25T00:00:04.000Z';
    expect(await startHandOff(table, messageId, { from: queued.invocationId, to: 'b', at: later, queued: false })).toBe(true);
    expect(await getDelivery(table, messageId, true)).toMatchObject({ status: 'sending', handOffStartedAt: later, invocationId: 'b' });
  });

  it("counts every call at the carrier and records its hand-off once, with that hand-off's reports", async () => {
    const carrier = carrierStore(table);
    const messageId = ids.next();
    const message = {
      messageId,
      sessionId: 'ses_demo',
      accountId: 'acct_demo',
      channel: 'SMS',
      from: '+15550001111',
      to: '+15550000000',
      text: 'hi',
      segments: 1,
    };
    expect(await carrier.recordCall(message, '2026-11-25T00:00:00.000Z')).toMatchObject({
      calls: 1,
      firstCallAt: '2026-11-25T00:00:00.000Z',
    });
    expect(await carrier.accept(messageId, 'pm-a', '2026-11-25T00:00:00.000Z', [])).toBe('pm-a');
    expect(await carrier.recordCall(message, '2026-11-25T00:00:09.000Z')).toMatchObject({
      calls: 2,
      firstCallAt: '2026-11-25T00:00:00.000Z',
      providerMessageId: 'pm-a',
    });
    expect(await carrier.accept(messageId, 'pm-b', '2026-11-25T00:00:09.000Z', [])).toBe('pm-a');
    expect((await carrierOutbox(table)).filter((h) => h.messageId === messageId)).toMatchObject([{ calls: 2, providerMessageId: 'pm-a' }]);
  });
});
