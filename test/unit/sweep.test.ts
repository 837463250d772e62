import { monotonicFactory } from 'ulid';
import { describe, expect, it } from 'vitest';
import type { Delivery } from '../../lib/domain/delivery/delivery.js';
import type { MessageProvider, OutboundMessage } from '../../lib/domain/delivery/provider.js';
import { sweep, type SweepDeps, type SweepPass, type SweepStore } from '../../lib/domain/delivery/sweep.js';
import type { StoredMessage } from '../../lib/domain/message-info.js';
import { memoryDeliveries } from '../support/memory-deliveries.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const T0 = Date.parse('2026-11-25T00:00:00.000Z');
const ulid = monotonicFactory();

const message = (at: number, extra: Partial<StoredMessage> = {}): StoredMessage => ({
  id: ulid(at),
  sessionId: 'ses_demo',
  accountId: 'acct_demo',
  customerId: 'cus_demo',
  endpointId: 'ep_demo',
  endpointDisplayName: 'Demo Line',
  date: new Date(at).toISOString(),
  direction: 'Outgoing',
  otherAddress: '+15556667777',
  sender: '+15550001111',
  text: 'Hello',
  isUnread: false,
  ...extra,
});

/** A provider that takes the message id as its idempotency token: calls are recorded, hand-offs counted once per message. */
function carrier(fail?: (outbound: OutboundMessage) => boolean): MessageProvider & { calls: OutboundMessage[] } {
  const calls: OutboundMessage[] = [];
  return {
    name: 'simulated',
    idempotent: true,
    calls,
    send: async (outbound) => {
      calls.push(outbound);
      if (fail?.(outbound)) throw new Error('provider down');
      return { kind: 'accepted', providerMessageId: `pm-${outbound.messageId}` };
    },
  };
}

/** The sweeper's world in memory: messages in id order, deliveries with the table's rules, checkpoints, a clock. */
function world(messages: StoredMessage[], provider = carrier(), maxMessages = 100) {
  const deliveries = memoryDeliveries();
  const checkpoints = new Map<SweepPass, string>();
  let now = T0;
  let id = 0;
  const store: SweepStore = {
    checkpoint: async (pass) => checkpoints.get(pass),
    saveCheckpoint: async (pass, messageId, previous) => {
      if (checkpoints.get(pass) === previous) checkpoints.set(pass, messageId);
    },
    accounts: async () => ['acct_demo'],
    async *messages(_accounts, start) {
      const sorted = [...messages].sort((a, b) => (a.id < b.id ? -1 : 1));
      for (const m of sorted) if ('afterId' in start ? m.id > start.afterId : Date.parse(m.date) > start.after.getTime()) yield m;
    },
    deliveries: async (ids) => new Map(ids.flatMap((i) => (deliveries.all.has(i) ? [[i, structuredClone(deliveries.all.get(i)!)]] : []))),
  };
  const deps: SweepDeps = {
    deliveries,
    providerFor: () => provider,
    countSegments: () => ({ segments: 1, encoding: 'GSM-7' }),
    clock: { now: () => new Date(now) },
    ids: { next: () => `id-${++id}` },
    sleep: async () => undefined,
    sweeps: store,
    rules: {
      undispatchedAfterMs: 15 * MINUTE,
      staleClaimAfterMs: 10 * MINUTE,
      unknownAfterMs: 72 * HOUR,
      maxMessages,
      firstLookbackMs: 24 * HOUR,
    },
    timeLeft: () => 60_000,
  };
  return { deps, deliveries, provider, checkpoints, at: (t: number) => void (now = t) };
}

const claimOf = (m: StoredMessage, claimedAt: number, status: Delivery['status'] = 'sending'): Delivery => ({
  messageId: m.id,
  sessionId: m.sessionId,
  accountId: m.accountId,
  channel: 'SMS',
  provider: 'simulated',
  attemptId: 'stream-record-1',
  invocationId: 'dead-invocation',
  claimedAt: new Date(claimedAt).toISOString(),
  attempts: 0,
  segments: 1,
  encoding: 'GSM-7',
  status,
  statusUpdatedAt: new Date(claimedAt).toISOString(),
  history: [{ status, date: new Date(claimedAt).toISOString(), source: 'dispatch', applied: true }],
});

describe('the sweeper: dispatch pass', () => {
  it('dispatches a message that has no delivery after N minutes, once, and leaves younger ones to the stream', async () => {
    const lost = message(T0);
    const young = message(T0 + 10 * MINUTE);
    const w = world([lost, young]);
    w.at(T0 + 20 * MINUTE);
    const report = await sweep(w.deps, 'dispatch');
    expect(report).toMatchObject({ examined: 1, actions: { dispatched: 1 }, checkpoint: lost.id });
    expect(w.deliveries.all.get(lost.id)).toMatchObject({ status: 'sent', attemptId: 'sweep:id-1' });
    expect(w.deliveries.all.has(young.id)).toBe(false);
    // Again: the checkpoint is past it, and a rewound checkpoint would find its claim: no second hand-off.
    await sweep(w.deps, 'dispatch');
    w.checkpoints.clear();
    expect((await sweep(w.deps, 'dispatch')).actions).toEqual({ settled: 1 });
    expect(w.provider.calls.map((c) => c.messageId)).toEqual([lost.id]);
  });

  it("re-dispatches a stale `sending` claim as the claim's own attempt; holds a live one until it is stale", async () => {
    const stale = message(T0);
    const live = message(T0 + MINUTE);
    const w = world([stale, live]);
    await w.deliveries.claim(claimOf(stale, T0));
    await w.deliveries.claim(claimOf(live, T0 + 14 * MINUTE));
    w.at(T0 + 20 * MINUTE);
    const report = await sweep(w.deps, 'dispatch');
    expect(report).toMatchObject({ actions: { redispatched: 1, hold: 1 }, checkpoint: stale.id });
    expect(w.deliveries.all.get(stale.id)).toMatchObject({ status: 'sent', attemptId: 'stream-record-1' });
    expect(w.deliveries.all.get(live.id)!.status).toBe('sending');
    w.at(T0 + 25 * MINUTE);
    expect((await sweep(w.deps, 'dispatch')).actions).toEqual({ redispatched: 1 });
    expect(w.provider.calls.map((c) => c.messageId)).toEqual([stale.id, live.id]);
  });

  it('never moves its checkpoint past a message whose dispatch failed; the next run takes it again', async () => {
    const failing = message(T0);
    const after = message(T0 + MINUTE);
    let down = true;
    const w = world(
      [failing, after],
      carrier((o) => down && o.messageId === failing.id),
    );
    w.at(T0 + 30 * MINUTE);
    const first = await sweep(w.deps, 'dispatch');
    expect(first.actions).toEqual({ failed: 1, dispatched: 1 });
    expect(first.checkpoint).toBeUndefined();
    down = false;
    // Its claim (made before the provider threw) is stale by now: re-dispatched as that attempt.
    w.at(T0 + 45 * MINUTE);
    expect((await sweep(w.deps, 'dispatch')).actions).toEqual({ redispatched: 1, settled: 1 });
    expect(w.deliveries.all.get(failing.id)!.status).toBe('sent');
    expect(w.checkpoints.get('dispatch')).toBe(after.id);
  });

  it('skips incoming messages and looks at no more than its bound per run, resuming where it stopped', async () => {
    const messages = [message(T0, { direction: 'Incoming' }), ...Array.from({ length: 24 }, (_, i) => message(T0 + i + 1))];
    const w = world(messages, carrier(), 10);
    w.at(T0 + HOUR);
    expect(await sweep(w.deps, 'dispatch')).toMatchObject({ examined: 10, actions: { skipped: 1, dispatched: 9 } });
    expect(await sweep(w.deps, 'dispatch')).toMatchObject({ examined: 10, actions: { dispatched: 10 } });
    expect(await sweep(w.deps, 'dispatch')).toMatchObject({ examined: 5, actions: { dispatched: 5 } });
    expect(w.provider.calls).toHaveLength(24);
  });
});

describe('the sweeper: unknown pass', () => {
  it('turns a hand-off with no final report after 72 h into unknown, through the change path; final ones stay', async () => {
    const silent = message(T0);
    const done = message(T0 + 1);
    const w = world([silent, done]);
    await w.deliveries.claim(claimOf(silent, T0, 'sent'));
    await w.deliveries.claim(claimOf(done, T0, 'delivered'));
    w.at(T0 + 71 * HOUR);
    expect((await sweep(w.deps, 'unknown')).examined).toBe(0);
    w.at(T0 + 73 * HOUR);
    expect((await sweep(w.deps, 'unknown')).actions).toEqual({ unknown: 1, settled: 1 });
    expect(w.deliveries.all.get(silent.id)).toMatchObject({ status: 'unknown' });
    expect(w.deliveries.all.get(silent.id)!.history.at(-1)).toMatchObject({ status: 'unknown', source: 'sweeper', applied: true });
    expect(w.deliveries.all.get(done.id)!.status).toBe('delivered');
  });

  it('holds a message with no delivery at all (the dispatch pass is behind)', async () => {
    const w = world([message(T0)]);
    w.at(T0 + 73 * HOUR);
    expect(await sweep(w.deps, 'unknown')).toMatchObject({ actions: { hold: 1 } });
    expect(w.checkpoints.has('unknown')).toBe(false);
  });
});
