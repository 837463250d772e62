import { describe, expect, it } from 'vitest';
import { channelOf, type Delivery, type DeliveryStore } from '../../lib/domain/delivery/delivery.js';
import { DomainError } from '../../lib/domain/errors.js';
import { HISTORY_LIMIT } from '../../lib/domain/delivery/history.js';
import { messageStatus } from '../../lib/domain/delivery/message-status.js';
import { backoffMs, dispatch, MAX_ATTEMPTS, type DispatchDeps } from '../../lib/domain/delivery/dispatch.js';
import type { MessageProvider, OutboundMessage, SendResult, StatusReport } from '../../lib/domain/delivery/provider.js';
import { applyReport } from '../../lib/domain/delivery/reports.js';
import { movesForward } from '../../lib/domain/delivery/status.js';
import type { StoredMessage } from '../../lib/domain/message-info.js';
import { memoryDeliveries } from '../support/memory-deliveries.js';
import { memoryDeps, session } from '../support/memory.js';

const message: StoredMessage = {
  id: '01KW3Q4ZJ2B9T8F0S6M1C5H7RD',
  sessionId: 'ses_demo',
  accountId: 'acct_demo',
  customerId: 'cus_demo',
  endpointId: 'ep_demo',
  endpointDisplayName: 'Demo Line',
  date: '2026-11-25T00:00:00.000Z',
  direction: 'Outgoing',
  otherAddress: '+15556667777',
  sender: '+15550001111',
  text: 'Hello',
  isUnread: false,
};

/** A provider answering `results` in turn (the last one from then on), recording every call. */
function scripted(results: SendResult[], idempotent = true): MessageProvider & { calls: OutboundMessage[] } {
  const calls: OutboundMessage[] = [];
  return {
    name: 'scripted',
    idempotent,
    calls,
    send: async (outbound) => {
      calls.push(outbound);
      return results[Math.min(calls.length - 1, results.length - 1)]!;
    },
  };
}

function deps(provider: MessageProvider) {
  const slept: number[] = [];
  let id = 0;
  const deliveries = memoryDeliveries();
  const value: DispatchDeps = {
    deliveries,
    providerFor: () => provider,
    countSegments: () => ({ segments: 1, encoding: 'GSM-7' }),
    clock: { now: () => new Date('2026-11-25T00:00:01.000Z') },
    ids: { next: () => `inv-${++id}` },
    sleep: async (ms) => void slept.push(ms),
  };
  return { deps: value, slept, deliveries };
}

const accepted: SendResult = { kind: 'accepted', providerMessageId: 'pm-1' };
const throttled: SendResult = { kind: 'rejected', retryable: true, errorCode: 'THROTTLED', errorMessage: 'slow down' };
const ambiguous: SendResult = { kind: 'ambiguous', errorMessage: 'timed out' };
const statuses = (d: { history: { status: string; applied: boolean }[] }) =>
  d.history.map((h) => `${h.status}${h.applied ? '' : ' (kept)'}`);

describe('status ranks', () => {
  it('moves only forward; a failure is never replaced by a success; a late final report settles unknown', () => {
    expect(movesForward('sent', 'delivered')).toBe(true);
    expect(movesForward('delivered', 'sent')).toBe(false);
    expect(movesForward('undelivered', 'delivered')).toBe(false);
    expect(movesForward('delivered', 'undelivered')).toBe(true);
    expect(movesForward('unknown', 'delivered')).toBe(true);
    expect(movesForward('delivered', 'read')).toBe(true);
    expect(movesForward('failed', 'read')).toBe(false);
  });

  it('knows edna channels from their pseudo-endpoints', () => {
    expect(channelOf({ endpointId: 'edna-whatsapp' })).toBe('WHATSAPP');
    expect(channelOf({ endpointId: 'ep_demo' })).toBe('SMS');
  });
});

describe('dispatch', () => {
  it('claims, hands off once and records sent with the provider id and segments', async () => {
    const provider = scripted([accepted]);
    const { deps: d, deliveries } = deps(provider);
    expect(await dispatch(d, message, 'record-1')).toBe('sent');
    expect(await dispatch(d, message, 'record-2')).toBe('duplicate');
    expect(provider.calls).toEqual([
      {
        messageId: message.id,
        sessionId: 'ses_demo',
        accountId: 'acct_demo',
        channel: 'SMS',
        from: '+15550001111',
        to: '+15556667777',
        text: 'Hello',
        segments: 1,
      },
    ]);
    const delivery = deliveries.all.get(message.id)!;
    expect(delivery).toMatchObject({
      status: 'sent',
      providerMessageId: 'pm-1',
      attempts: 1,
      segments: 1,
      encoding: 'GSM-7',
      provider: 'scripted',
    });
    expect(statuses(delivery)).toEqual(['accepted', 'sending', 'sent']);
  });

  it('retries a retryable rejection with backoff (no real sleep), then hands off', async () => {
    const provider = scripted([throttled, accepted]);
    const { deps: d, slept, deliveries } = deps(provider);
    await dispatch(d, message, 'record-1');
    expect(provider.calls).toHaveLength(2);
    expect(slept).toEqual([backoffMs(1)]);
    expect(deliveries.all.get(message.id)).toMatchObject({ status: 'sent', attempts: 2 });
  });

  it(`never fails the message for throttling: after ${MAX_ATTEMPTS} retryable rejections it waits, and the record is retried`, async () => {
    for (const idempotent of [true, false]) {
      const busy = scripted([throttled, throttled, throttled, accepted], idempotent);
      const { deps: d, deliveries } = deps(busy);
      expect(await dispatch(d, message, 'record-1')).toBe('deferred');
      expect(busy.calls).toHaveLength(MAX_ATTEMPTS);
      const waiting = deliveries.all.get(message.id)!;
      expect(waiting).toMatchObject({ status: 'sending', attempts: 0 });
      expect(waiting.errorCode).toBeUndefined();
      // The provider certainly did not take it: the marker is cleared, so the retried record calls again.
      expect(waiting.handOffStartedAt === undefined).toBe(!idempotent);
      expect(await dispatch(d, message, 'record-1')).toBe('sent');
      expect(busy.calls).toHaveLength(MAX_ATTEMPTS + 1);
    }
  });

  it("fails the message with the provider's code at once on a permanent refusal", async () => {
    const invalid = scripted([{ kind: 'rejected', retryable: false, errorCode: 'INVALID_NUMBER', errorMessage: 'no' }]);
    const { deps: d, deliveries } = deps(invalid);
    await dispatch(d, message, 'record-1');
    expect(invalid.calls).toHaveLength(1);
    expect(deliveries.all.get(message.id)).toMatchObject({ status: 'failed', errorCode: 'INVALID_NUMBER' });
  });

  it('asks an idempotent provider again after an ambiguous answer; never a provider without a token', async () => {
    const tokened = scripted([ambiguous, accepted]);
    const first = deps(tokened);
    await dispatch(first.deps, message, 'record-1');
    expect(tokened.calls).toHaveLength(2);
    expect(first.deliveries.all.get(message.id)!.status).toBe('sent');

    const untokened = scripted([ambiguous, accepted], false);
    const second = deps(untokened);
    await dispatch(second.deps, message, 'record-1');
    expect(untokened.calls).toHaveLength(1);
    expect(second.deliveries.all.get(message.id)).toMatchObject({ status: 'unknown', errorMessage: 'timed out' });
  });

  it('does nothing for a message another record claimed, or whose delivery is settled', async () => {
    const provider = scripted([accepted]);
    const { deps: d } = deps(provider);
    await dispatch(d, message, 'record-1');
    await dispatch(d, message, 'record-2');
    await dispatch(d, message, 'record-1');
    expect(provider.calls).toHaveLength(1);
  });

  it('a redelivered record whose hand-off is in doubt: resent with the token, or recorded unknown without one', async () => {
    for (const idempotent of [true, false]) {
      const crashed = scripted([accepted], idempotent);
      const { deps: d, deliveries } = deps(crashed);
      // The first invocation claimed, then died in the provider call, before its outcome was recorded.
      const dying: MessageProvider = { name: 'scripted', idempotent, send: () => Promise.reject(new Error('invocation died')) };
      await expect(dispatch({ ...d, providerFor: () => dying }, message, 'record-1')).rejects.toThrow('invocation died');
      await dispatch(d, message, 'record-1');
      expect(crashed.calls).toHaveLength(idempotent ? 1 : 0);
      expect(deliveries.all.get(message.id)!.status).toBe(idempotent ? 'sent' : 'unknown');
    }
  });
});

describe('the claim and the hand-off marker (providers without an idempotency token)', () => {
  const lost = () => new DomainError('unavailable', 'The message store is unavailable; retry later');
  /** The store whose `method` writes, then throws as if the answer was lost; `reads` says whether the read-back works. */
  function losing(deliveries: DeliveryStore, method: 'claim' | 'startHandOff', reads = true): DeliveryStore {
    return {
      ...deliveries,
      [method]: async (...args: unknown[]) => {
        await (deliveries[method] as (...a: unknown[]) => Promise<unknown>)(...args);
        throw lost();
      },
      get: async (id: string, consistent?: boolean) => {
        if (!reads) throw lost();
        return deliveries.get(id, consistent);
      },
    };
  }

  it('claims `queued` and marks `sending` just before the call', async () => {
    const provider = scripted([accepted], false);
    const { deps: d, deliveries } = deps(provider);
    expect(await dispatch(d, message, 'record-1')).toBe('sent');
    const delivery = deliveries.all.get(message.id)!;
    expect(statuses(delivery)).toEqual(['accepted', 'queued', 'sending', 'sent']);
    expect(delivery.handOffStartedAt).toBe('2026-11-25T00:00:01.000Z');
    expect(provider.calls).toHaveLength(1);
  });

  it("a claim whose put landed but whose answer was lost is read back, found to be this invocation's, and handed off", async () => {
    const provider = scripted([accepted], false);
    const { deps: d, deliveries } = deps(provider);
    expect(await dispatch({ ...d, deliveries: losing(deliveries, 'claim') }, message, 'record-1')).toBe('sent');
    expect(provider.calls).toHaveLength(1);
  });

  it('a claim put that lands but throws, then a redelivery: the provider is called once, never recorded unknown unasked', async () => {
    const provider = scripted([accepted], false);
    const { deps: d, deliveries } = deps(provider);
    // The claim landed; its answer and the read-back were lost: the invocation fails, the record comes again.
    await expect(dispatch({ ...d, deliveries: losing(deliveries, 'claim', false) }, message, 'record-1')).rejects.toThrow('unavailable');
    expect(provider.calls).toHaveLength(0);
    expect(await dispatch(d, message, 'record-1')).toBe('sent');
    expect(provider.calls).toHaveLength(1);
    expect(statuses(deliveries.all.get(message.id)!)).toEqual(['accepted', 'queued', 'sending', 'sent']);
  });

  it("a marker whose answer was lost is read back: this invocation's, so the provider is called", async () => {
    const provider = scripted([accepted], false);
    const { deps: d, deliveries } = deps(provider);
    expect(await dispatch({ ...d, deliveries: losing(deliveries, 'startHandOff') }, message, 'record-1')).toBe('sent');
    expect(provider.calls).toHaveLength(1);
  });

  it('with the marker, a redelivery records unknown without a call; only one of two invocations of a record wins the marker', async () => {
    const provider = scripted([accepted], false);
    const { deps: d, deliveries } = deps(provider);
    // Invocation A claims; before it marks, invocation B of the same record takes the claim over and hands off.
    let b: Promise<unknown> | undefined;
    const racing: DeliveryStore = {
      ...deliveries,
      startHandOff: async (id, start) => {
        b ??= dispatch(d, message, 'record-1');
        await b;
        return deliveries.startHandOff(id, start);
      },
    };
    expect(await dispatch({ ...d, deliveries: racing }, message, 'record-1')).toBe('duplicate');
    expect(await b).toBe('sent');
    expect(provider.calls).toHaveLength(1);

    // The marker set and the outcome never recorded: a redelivery can not know, and asks no one.
    const second = deps(scripted([accepted], false));
    const dying: MessageProvider = { name: 'scripted', idempotent: false, send: () => Promise.reject(new Error('invocation died')) };
    await expect(dispatch({ ...second.deps, providerFor: () => dying }, message, 'record-1')).rejects.toThrow('invocation died');
    expect(await dispatch(second.deps, message, 'record-1')).toBe('unknown');
  });
});

describe('reports', () => {
  it('apply out of order, twice, and per segment without moving back', async () => {
    const { deps: d, deliveries } = deps(scripted([accepted]));
    await dispatch(d, message, 'record-1');
    const report = (reportId: string, status: 'sent' | 'delivered' | 'undelivered', occurredAt: string) =>
      applyReport(deliveries, {
        reportId,
        messageId: message.id,
        provider: 'scripted',
        providerMessageId: 'pm-1',
        status,
        providerStatus: status.toUpperCase(),
        occurredAt,
      });
    expect(await report('a', 'delivered', '2026-11-25T00:00:03Z')).toBe('applied');
    expect(await report('a', 'delivered', '2026-11-25T00:00:03Z')).toBe('duplicate');
    expect(await report('b', 'sent', '2026-11-25T00:00:02Z')).toBe('kept');
    expect(await report('c', 'undelivered', '2026-11-25T00:00:04Z')).toBe('applied');
    expect(await report('d', 'delivered', '2026-11-25T00:00:05Z')).toBe('kept');
    expect(statuses(deliveries.all.get(message.id)!)).toEqual([
      'accepted',
      'sending',
      'sent',
      'delivered',
      'sent (kept)',
      'undelivered',
      'delivered (kept)',
    ]);
    expect(
      await applyReport(deliveries, {
        reportId: 'e',
        messageId: 'nope',
        provider: 'scripted',
        providerMessageId: 'pm-1',
        status: 'sent',
        providerStatus: 'SENT',
        occurredAt: '',
      }),
    ).toBe('missing');
  });

  const report = (over: Partial<StatusReport>): StatusReport => ({
    reportId: 'r',
    messageId: message.id,
    provider: 'scripted',
    providerMessageId: 'pm-1',
    status: 'delivered',
    providerStatus: 'DELIVERED',
    occurredAt: '2026-11-25T00:00:03Z',
    ...over,
  });

  it("reject another provider's report, or another provider message id's, whatever its rank: kept in the history as rejected", async () => {
    const { deps: d, deliveries } = deps(scripted([accepted]));
    await dispatch(d, message, 'record-1');
    expect(await applyReport(deliveries, report({ reportId: 'x', provider: 'aws-sms', status: 'undelivered' }))).toBe('rejected');
    expect(await applyReport(deliveries, report({ reportId: 'y', providerMessageId: 'pm-forged', status: 'failed' }))).toBe('rejected');
    expect(await applyReport(deliveries, report({ reportId: 'y', providerMessageId: 'pm-forged', status: 'failed' }))).toBe('duplicate');
    expect(await applyReport(deliveries, report({ reportId: 'z' }))).toBe('applied');
    const delivery = deliveries.all.get(message.id)!;
    expect(delivery).toMatchObject({ status: 'delivered', providerMessageId: 'pm-1' });
    expect(delivery.history.slice(3)).toEqual([
      expect.objectContaining({ status: 'undelivered', source: 'aws-sms', applied: false, rejected: 'provider-mismatch' }),
      expect.objectContaining({ status: 'failed', source: 'scripted', applied: false, rejected: 'provider-mismatch' }),
      expect.objectContaining({ status: 'delivered', applied: true }),
    ]);
    expect(delivery.history[5]).not.toHaveProperty('rejected');
  });

  it("a report overtaking the hand-off's answer applies and records its id; the dispatcher's answer is the provider's word", async () => {
    const { deps: d, deliveries } = deps(scripted([accepted]));
    // The claim is written, the provider called; its report arrives before the dispatcher records `sent`.
    let early: string | undefined;
    const overtaken: MessageProvider = {
      name: 'scripted',
      idempotent: true,
      send: async () => {
        early = await applyReport(deliveries, report({ reportId: 'early', providerMessageId: 'pm-1' }));
        return accepted;
      },
    };
    await dispatch({ ...d, providerFor: () => overtaken }, message, 'record-1');
    expect(early).toBe('applied');
    const delivery = deliveries.all.get(message.id)!;
    expect(delivery).toMatchObject({ status: 'delivered', providerMessageId: 'pm-1' });
    expect(statuses(delivery)).toEqual(['accepted', 'sending', 'delivered', 'sent (kept)']);
    // A report for another hand-off of the same provider, once the id is known, is refused.
    expect(await applyReport(deliveries, report({ reportId: 'late', providerMessageId: 'pm-2', status: 'read' }))).toBe('rejected');
  });

  it('bound the history: every applied change and the newest reports, the rest counted; duplicates seen in the window', async () => {
    const { deps: d, deliveries } = deps(scripted([accepted]));
    await dispatch(d, message, 'record-1');
    expect(await applyReport(deliveries, report({ reportId: 'delivered' }))).toBe('applied');
    for (let i = 1; i <= 60; i++) await applyReport(deliveries, report({ reportId: `late-${i}`, status: 'sent', providerStatus: `S${i}` }));
    expect(await applyReport(deliveries, report({ reportId: 'read', status: 'read' }))).toBe('applied');
    const delivery = deliveries.all.get(message.id)!;
    expect(delivery.history.length).toBeLessThanOrEqual(HISTORY_LIMIT);
    const dropped = delivery.historyDropped!;
    expect(dropped + delivery.history.length).toBe(3 + 1 + 60 + 1);
    // Every applied change is kept, in order (callbacks number the events by them); the reports kept are the newest.
    expect(delivery.history.filter((h) => h.applied).map((h) => h.status)).toEqual(['accepted', 'sending', 'sent', 'delivered', 'read']);
    const late = delivery.history.filter((h) => !h.applied).map((h) => h.providerStatus);
    expect(late).toEqual(Array.from({ length: 60 - dropped }, (_, i) => `S${dropped + i + 1}`));
    expect(await applyReport(deliveries, report({ reportId: 'late-60', status: 'sent' }))).toBe('duplicate');
    expect(await applyReport(deliveries, report({ reportId: 'read', status: 'read' }))).toBe('duplicate');
  });
});

describe('the status route', () => {
  const principal = { accountId: 'acct_demo', roles: ['User' as const] };
  function route(delivery?: Partial<Delivery>) {
    const memory = memoryDeps({ sessions: [{ ...session, sessionId: 'ses_demo', accountId: 'acct_demo' }] });
    memory.messages.push(message);
    const deliveries = memoryDeliveries();
    if (delivery) {
      deliveries.all.set(message.id, {
        messageId: message.id,
        sessionId: 'ses_demo',
        accountId: 'acct_demo',
        channel: 'SMS',
        provider: 'scripted',
        attemptId: 'record-1',
        invocationId: 'inv-1',
        claimedAt: message.date,
        attempts: 1,
        segments: 1,
        encoding: 'GSM-7',
        status: 'sent',
        statusUpdatedAt: message.date,
        history: [{ status: 'accepted', date: message.date, source: 'dispatch', applied: true }],
        ...delivery,
      });
    }
    return (input = { sessionId: 'ses_demo', messageId: message.id }) => messageStatus({ ...memory.deps, deliveries }, principal, input);
  }

  it('answers the count of dropped history entries only when some were dropped', async () => {
    expect(await route({})()).not.toHaveProperty('historyDropped');
    expect(await route({ historyDropped: 12 })()).toMatchObject({ status: 'sent', historyDropped: 12 });
  });

  it("answers not found, as for a missing message, when the delivery is another account's or another session's", async () => {
    const missing = await route()({ sessionId: 'ses_demo', messageId: '01KW3Q4ZJ2B9T8F0S6M1C5H7RX' }).catch((error: unknown) => error);
    expect(missing).toMatchObject({ code: 'not-found', message: 'Message not found' });
    for (const other of [{ accountId: 'acct_other' }, { sessionId: 'ses_other' }]) {
      await expect(route(other)()).rejects.toEqual(missing);
    }
    expect(await route({})()).toMatchObject({ messageId: message.id, status: 'sent' });
  });
});
