import type { FanOutDeps } from '../domain/callbacks/fan-out.js';
import type { SubscriptionStore } from '../domain/callbacks/subscriptions.js';
import { callbackQueues } from '../queues/callbacks.js';
import { sqsClient } from '../queues/sqs.js';
import { getSubscription, listSubscriptionTargets } from '../store/callbacks.js';
import { config, ConfigError, required, type Config } from './config.js';
import type { Container } from './index.js';

/**
 * The callback pipeline's wiring: callback-events (the stream into fan-out) from here, callback-send
 * from ./callback-send.ts, which adds the POST and its signing library: kept apart so that
 * callback-events does not bundle them.
 */

/** The stream's records as callback events (lib/store owns the item shapes). */
export { streamCallbackEvent } from '../store/callback-stream.js';

/**
 * What callback-send reads: the retry schedule, the attempt's timeout, whether private targets are
 * allowed. Only the local stack may allow them: a deployed stage packaged from a shell that held
 * CALLBACK_ALLOW_PRIVATE=true refuses to start rather than call loopback, link-local or VPC hosts.
 */
export function callbackSettings(c: Config = config()) {
  const allowPrivate = c.CALLBACK_ALLOW_PRIVATE === 'true';
  if (allowPrivate && c.IS_OFFLINE !== 'true') {
    throw new ConfigError(
      'Invalid configuration: CALLBACK_ALLOW_PRIVATE: true only in the local stack (IS_OFFLINE), refused in a deployed stage',
    );
  }
  return { retrySeconds: c.CALLBACK_RETRY_SECONDS, timeoutMs: c.CALLBACK_TIMEOUT_MS, allowPrivate };
}

/** The callback queue and its dead-letter queue, built once per container. */
export const callbackQueuesOf = (c: Config) =>
  callbackQueues(sqsClient(c.SQS_ENDPOINT), {
    queueUrl: required(c, 'CALLBACK_QUEUE_URL'),
    deadLetterUrl: required(c, 'CALLBACK_DLQ_URL'),
  });

/** An account's callback subscriptions, read on every event (a new or deleted subscription takes effect at once). */
export const subscriptionStore = ({ table }: Pick<Container, 'table'>): SubscriptionStore => ({
  listSubscriptions: (accountId) => listSubscriptionTargets(table, accountId),
  getSubscription: (accountId, subscriptionId) => getSubscription(table, accountId, subscriptionId),
});

/** callback-events: the subscriptions and the queue. */
export const fanOutDeps = (container: Container): FanOutDeps => ({
  subscriptions: subscriptionStore(container),
  queue: callbackQueuesOf(container.config),
});
