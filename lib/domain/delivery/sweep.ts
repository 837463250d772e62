import type { StoredMessage } from '../message-info.js';
import type { Delivery } from './delivery.js';
import { dispatch, type DispatchDeps } from './dispatch.js';
import { STATUS_RANK } from './status.js';

/**
 * The sweeper (docs/delivery.md, "Nothing stuck"): a message whose stream record was lost, or whose
 * dispatcher died after claiming it, is dispatched again under the same claim rules; a message with
 * no final report long after its hand-off becomes `unknown`. Two passes walk the outgoing messages in
 * id (= time) order, each from its own checkpoint up to its age limit; a checkpoint never passes a
 * message that is not done, so nothing is skipped, whatever fails or times out.
 */
export type SweepPass = 'dispatch' | 'unknown';

export interface SweepRules {
  /** A message with no delivery this long after it was accepted was never dispatched (N). */
  undispatchedAfterMs: number;
  /** A `sending` claim this old belongs to a dispatcher that is gone (M). */
  staleClaimAfterMs: number;
  /** A hand-off with no final report this long after acceptance becomes `unknown` (72 h). */
  unknownAfterMs: number;
  /** Messages each pass looks at per run, at most. */
  maxMessages: number;
  /** Where a pass with no checkpoint starts, before its age limit. */
  firstLookbackMs: number;
}

/** Where a pass resumes: after its checkpoint, or (first run) after a date. */
export type SweepStart = { afterId: string } | { after: Date };

export interface SweepStore {
  checkpoint(pass: SweepPass): Promise<string | undefined>;
  /**
   * Moves the pass's checkpoint to this message id, only if it is still the one this run started
   * from: a run that overlapped another, or a rewind (a dead-letter replay), wins over it.
   */
  saveCheckpoint(pass: SweepPass, messageId: string, previous: string | undefined): Promise<void>;
  /** Every account whose messages are swept. */
  accounts(): Promise<string[]>;
  /** The accounts' messages in id order, after `start`; read lazily. */
  messages(accountIds: string[], start: SweepStart, hint: number): AsyncIterable<StoredMessage>;
  /** The deliveries of these messages (eventually consistent; a claim is made before any change). */
  deliveries(messageIds: string[]): Promise<Map<string, Delivery>>;
}

export interface SweepDeps extends DispatchDeps {
  sweeps: SweepStore;
  rules: SweepRules;
  /** Milliseconds left in this run. */
  timeLeft(): number;
}

/** What the sweeper did with one message. `hold`: not done yet (a live claim; no delivery yet), looked at again next run. */
export type SweepAction = 'skipped' | 'settled' | 'dispatched' | 'redispatched' | 'unknown' | 'hold' | 'failed';

export interface PassReport {
  pass: SweepPass;
  examined: number;
  actions: Partial<Record<SweepAction, number>>;
  /** The checkpoint after this run (unchanged when the first message was not done). */
  checkpoint?: string;
}

/** Messages decided at once: a dispatch takes up to a few seconds (provider backoff), so a batch runs in parallel. */
const BATCH = 10;
/** A batch is started only with this much time left (dispatch's own record budget). */
const BATCH_BUDGET_MS = 5000;

export async function sweep(deps: SweepDeps, pass: SweepPass): Promise<PassReport> {
  const now = deps.clock.now().getTime();
  const age = pass === 'dispatch' ? deps.rules.undispatchedAfterMs : deps.rules.unknownAfterMs;
  const until = now - age;
  const saved = await deps.sweeps.checkpoint(pass);
  const start: SweepStart = saved ? { afterId: saved } : { after: new Date(until - deps.rules.firstLookbackMs) };
  const report: PassReport = { pass, examined: 0, actions: {}, ...(saved ? { checkpoint: saved } : {}) };
  // One attempt id per run: two runs that overlap never take each other's claim for a redelivery.
  const attemptId = `sweep:${deps.ids.next()}`;
  const decide = (message: StoredMessage, delivery: Delivery | undefined): Promise<SweepAction> =>
    pass === 'dispatch' ? redispatch(deps, message, delivery, attemptId, now) : expire(deps, message, delivery, now);

  let batch: StoredMessage[] = [];
  /** Runs a batch; false when a message of it is not done (the checkpoint stops before it). */
  const settle = async (): Promise<boolean> => {
    const outgoing = batch.filter((m) => m.direction === 'Outgoing');
    const deliveries = outgoing.length ? await deps.sweeps.deliveries(outgoing.map((m) => m.id)) : new Map<string, Delivery>();
    const actions = await Promise.all(
      batch.map((m) => (m.direction === 'Outgoing' ? decide(m, deliveries.get(m.id)).catch(() => 'failed' as const) : 'skipped')),
    );
    let done = true;
    for (const [i, action] of actions.entries()) {
      report.actions[action] = (report.actions[action] ?? 0) + 1;
      if (action === 'hold' || action === 'failed') done = false;
      if (done) report.checkpoint = batch[i]!.id;
    }
    batch = [];
    return done;
  };

  for await (const message of deps.sweeps.messages(await deps.sweeps.accounts(), start, deps.rules.maxMessages)) {
    if (Date.parse(message.date) > until) break;
    batch.push(message);
    report.examined++;
    const full = report.examined >= deps.rules.maxMessages;
    if (batch.length < BATCH && !full) continue;
    if (deps.timeLeft() < BATCH_BUDGET_MS) {
      batch = [];
      break;
    }
    if (!(await settle()) || full) break;
  }
  if (batch.length && deps.timeLeft() >= BATCH_BUDGET_MS) await settle();
  if (report.checkpoint && report.checkpoint !== saved) await deps.sweeps.saveCheckpoint(pass, report.checkpoint, saved);
  return report;
}

/**
 * No delivery: dispatched as a new attempt (if the stream's record claims it meanwhile, one of the
 * two finds the other's claim and does nothing). A stale `sending` claim: dispatched again as the
 * claim's own attempt, exactly as a redelivery of its stream record would be (dispatch.ts decides
 * whether the provider may be asked again).
 */
async function redispatch(
  deps: SweepDeps,
  message: StoredMessage,
  delivery: Delivery | undefined,
  attemptId: string,
  now: number,
): Promise<SweepAction> {
  if (!delivery) return (await dispatch(deps, message, attemptId)) === 'duplicate' ? 'settled' : 'dispatched';
  if (delivery.status !== 'sending') return 'settled';
  if (now - Date.parse(delivery.claimedAt) < deps.rules.staleClaimAfterMs) return 'hold';
  return (await dispatch(deps, message, delivery.attemptId)) === 'duplicate' ? 'settled' : 'redispatched';
}

/**
 * Below `unknown` (sending, sent, queued) this long after acceptance: `unknown`, through the delivery
 * store's one change path (conditional on the rank, so a report that lands first wins, and a callback
 * follows). `unknown` is not final: a late report still settles the message.
 */
async function expire(deps: SweepDeps, message: StoredMessage, delivery: Delivery | undefined, now: number): Promise<SweepAction> {
  if (!delivery) return 'hold';
  if (STATUS_RANK[delivery.status] >= STATUS_RANK.unknown) return 'settled';
  await deps.deliveries.change(message.id, {
    reportId: 'sweep:unknown',
    status: 'unknown',
    date: new Date(now).toISOString(),
    source: 'sweeper',
    errorMessage: `No final report within ${Math.round(deps.rules.unknownAfterMs / 3_600_000)} h of acceptance`,
  });
  return 'unknown';
}
