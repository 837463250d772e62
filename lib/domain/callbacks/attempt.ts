import * as z from 'zod/mini';
import type { Clock } from '../ports.js';
import { signingSecrets, type SubscriptionStore } from './subscriptions.js';

/** One delivery of one event to one subscription, as it waits in the callback queue. */
const callbackJob = z.object({
  subscriptionId: z.string(),
  accountId: z.string(),
  webhookId: z.string(),
  /** The body, exactly as signed and sent on every attempt. */
  payload: z.string(),
  /** 1 for the first attempt. */
  attempt: z.number().check(z.int(), z.positive()),
});
export type CallbackJob = z.infer<typeof callbackJob>;

/** A queue message's body as a job; throws on anything else (the record fails, and SQS's redrive ends it). */
export const parseCallbackJob = (body: string): CallbackJob => z.parse(callbackJob, JSON.parse(body));

/** The callback queue and its dead-letter queue (lib/queues/callbacks.ts). */
export interface CallbackQueue {
  enqueue(jobs: CallbackJob[]): Promise<void>;
  retry(job: CallbackJob, delaySeconds: number): Promise<void>;
  /** Kept for an operator to replay, with why. */
  deadLetter(job: CallbackJob, reason: string): Promise<void>;
}

/** What one attempt's answer means: delivered, worth trying again later, or no use trying again (other 4xx, a refused URL). */
export type AttemptOutcome = { kind: 'delivered'; status: number } | { kind: 'retry'; reason: string } | { kind: 'final'; reason: string };

/** Success only on 2xx; network errors, timeouts, 408, 429 and 5xx are retried; anything else is final. */
export function outcomeOf(status: number): AttemptOutcome {
  if (status >= 200 && status < 300) return { kind: 'delivered', status };
  if (status === 408 || status === 429 || status >= 500) return { kind: 'retry', reason: `HTTP ${status}` };
  return { kind: 'final', reason: `HTTP ${status}` };
}

/** What follows an attempt. */
export type NextStep =
  { kind: 'done' } | { kind: 'retry'; delaySeconds: number; job: CallbackJob } | { kind: 'dead-letter'; reason: string };

/**
 * The attempt rule: delivered is done; a retryable failure goes back on the queue after the schedule's
 * step for this attempt (`schedule[attempt - 1]` seconds), same webhook-id, next attempt number; after
 * the last step, or at once for a final outcome, the job is dead-lettered with the reason.
 */
export function nextStep(job: CallbackJob, outcome: AttemptOutcome, schedule: readonly number[]): NextStep {
  if (outcome.kind === 'delivered') return { kind: 'done' };
  const delaySeconds = schedule[job.attempt - 1];
  if (outcome.kind === 'retry' && delaySeconds !== undefined)
    return { kind: 'retry', delaySeconds, job: { ...job, attempt: job.attempt + 1 } };
  return { kind: 'dead-letter', reason: outcome.reason };
}

export interface SendCallbackDeps {
  subscriptions: Pick<SubscriptionStore, 'getSubscription'>;
  queue: Pick<CallbackQueue, 'retry' | 'deadLetter'>;
  /** One signed POST of the job to `url` (lib/callbacks/deliver.ts). */
  attempt(url: string, job: CallbackJob, secrets: string[], now: Date): Promise<AttemptOutcome>;
  clock: Clock;
  /** Seconds before each retry (CALLBACK_RETRY_SECONDS). */
  schedule: readonly number[];
}

/** What became of a job: dropped (its subscription was deleted), or attempted, and what followed. */
export type SendResult = { kind: 'dropped' } | { kind: 'attempted'; outcome: AttemptOutcome; next: NextStep };

/** Why a job is dead-lettered unsent when its subscription has no secret left to sign with. */
export const NO_LIVE_SECRET = 'the subscription has no live secret to sign with';

/**
 * One attempt of a job, signed with its subscription's live secrets, then what the attempt rule says.
 * A subscription without one is never sent to unsigned: the job is dead-lettered with the reason.
 */
export async function sendCallback(deps: SendCallbackDeps, job: CallbackJob): Promise<SendResult> {
  const subscription = await deps.subscriptions.getSubscription(job.accountId, job.subscriptionId);
  if (!subscription) return { kind: 'dropped' };
  const now = deps.clock.now();
  const secrets = signingSecrets(subscription, now);
  const outcome: AttemptOutcome = secrets.length
    ? await deps.attempt(subscription.url, job, secrets, now)
    : { kind: 'final', reason: NO_LIVE_SECRET };
  const next = nextStep(job, outcome, deps.schedule);
  if (next.kind === 'retry') await deps.queue.retry(next.job, next.delaySeconds);
  if (next.kind === 'dead-letter') await deps.queue.deadLetter(job, next.reason);
  return { kind: 'attempted', outcome, next };
}
