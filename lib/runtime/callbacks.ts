import { callbackQueues } from '../queues/callbacks.js';
import { sqsClient } from '../queues/sqs.js';
import { getSubscription, listSubscriptions } from '../store/callbacks.js';
import { config, required, type Config } from './config.js';
import type { Container } from './index.js';

/** What the callback functions read: the retry schedule, the attempt's timeout, whether private targets are allowed. */
export const callbackSettings = (c: Config = config()) => ({
  retrySeconds: c.CALLBACK_RETRY_SECONDS,
  timeoutMs: c.CALLBACK_TIMEOUT_MS,
  allowPrivate: c.CALLBACK_ALLOW_PRIVATE === 'true',
});

/** The callback queue and its dead-letter queue, built once per container. */
export const callbackQueuesOf = (c: Config = config()) =>
  callbackQueues(sqsClient(c.SQS_ENDPOINT), { queueUrl: required(c, 'CALLBACK_QUEUE_URL'), deadLetterUrl: required(c, 'CALLBACK_DLQ_URL') });

/** An account's callback subscriptions, read on every event (a new or deleted subscription takes effect at once). */
export const subscriptionStore = ({ table }: Container) => ({
  listSubscriptions: (accountId: string) => listSubscriptions(table, accountId),
  getSubscription: (accountId: string, subscriptionId: string) => getSubscription(table, accountId, subscriptionId),
});
