import { attempt } from '../callbacks/deliver.js';
import type { AttemptOutcome, SendCallbackDeps } from '../domain/callbacks/attempt.js';
import { count } from '../metrics.js';
import { callbackQueuesOf, callbackSettings, subscriptionStore } from './callbacks.js';
import type { Container } from './index.js';

const METRIC = { delivered: 'CallbackDelivered', retry: 'CallbackRetried', final: 'CallbackFailed' } as const;

/**
 * callback-send: the subscriptions, the queues, the schedule, and the POST. Every attempt is counted
 * by its outcome the moment it ends, whatever then becomes of the job (a retry whose schedule is
 * over is still a `CallbackRetried`).
 */
export function sendCallbackDeps(container: Container): SendCallbackDeps {
  const settings = callbackSettings(container.config);
  return {
    subscriptions: subscriptionStore(container),
    queue: callbackQueuesOf(container.config),
    attempt: async (url, job, secrets, now): Promise<AttemptOutcome> => {
      const outcome = await attempt(url, job, secrets, now, settings);
      count(METRIC[outcome.kind]);
      return outcome;
    },
    clock: { now: () => new Date() },
    schedule: settings.retrySeconds,
  };
}
