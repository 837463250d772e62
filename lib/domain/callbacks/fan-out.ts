import type { CallbackJob, CallbackQueue } from './attempt.js';
import { webhookId, type CallbackEvent } from './events.js';
import type { SubscriptionStore, SubscriptionTarget } from './subscriptions.js';

/**
 * Which subscriptions get an event: those of the event's own account that asked for its type, one
 * job each, all carrying the same body and webhook-id (a job enqueued twice is deduplicated by receivers).
 */
export function jobsFor(event: CallbackEvent, subscriptions: readonly SubscriptionTarget[]): CallbackJob[] {
  const payload = JSON.stringify(event);
  return subscriptions
    .filter((s) => s.accountId === event.data.accountId && s.events.includes(event.type))
    .map((s) => ({ subscriptionId: s.subscriptionId, accountId: s.accountId, webhookId: webhookId(event), payload, attempt: 1 }));
}

export interface FanOutDeps {
  subscriptions: Pick<SubscriptionStore, 'listSubscriptions'>;
  queue: Pick<CallbackQueue, 'enqueue'>;
}

/** Puts one job per subscribed receiver of `event` on the callback queue; the jobs enqueued. */
export async function fanOut(deps: FanOutDeps, event: CallbackEvent): Promise<CallbackJob[]> {
  const jobs = jobsFor(event, await deps.subscriptions.listSubscriptions(event.data.accountId));
  await deps.queue.enqueue(jobs);
  return jobs;
}
