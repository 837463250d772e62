import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import * as z from 'zod/mini';
import { attempt } from '../lib/callbacks/deliver.js';
import { signingSecrets } from '../lib/domain/callbacks.js';
import { logger, loggedHandler } from '../lib/log.js';
import { count } from '../lib/metrics.js';
import { callbackQueuesOf, callbackSettings } from '../lib/runtime/callbacks.js';
import { openContainer } from '../lib/runtime/index.js';
import { getSubscription } from '../lib/store/callbacks.js';

const { table } = openContainer();
const settings = callbackSettings();
const queues = callbackQueuesOf();
const schedule = settings.retrySeconds;

const job = z.object({ subscriptionId: z.string(), accountId: z.string(), webhookId: z.string(), payload: z.string(), attempt: z.number().check(z.int(), z.positive()) });

/**
 * One attempt per job: signed with the subscription's live secrets, POSTed to its URL (checked again).
 * 2xx: done. A network error, timeout, 408, 429 or 5xx: the job goes back on the queue, delayed by the
 * schedule's next step, same webhook-id; after the last step, or at once for any other answer, it goes
 * to the dead-letter queue with why. A deleted subscription drops its jobs.
 */
export const handler = loggedHandler<SQSEvent, SQSBatchResponse>().handler(async (event) => {
  const failures: { itemIdentifier: string }[] = [];
  await Promise.all(
    event.Records.map(async (record) => {
      try {
        const current = z.parse(job, JSON.parse(record.body));
        const subscription = await getSubscription(table, current.accountId, current.subscriptionId);
        if (!subscription) return logger.info('Callback dropped: subscription deleted', { webhookId: current.webhookId });
        const now = new Date();
        const outcome = await attempt(subscription.url, current, signingSecrets(subscription, now), now, settings);
        count(outcome.kind === 'delivered' ? 'CallbackDelivered' : outcome.kind === 'retry' ? 'CallbackRetried' : 'CallbackFailed');
        if (outcome.kind === 'delivered') return;
        const delay = schedule[current.attempt - 1];
        if (outcome.kind === 'retry' && delay !== undefined) return void (await queues.retry({ ...current, attempt: current.attempt + 1 }, delay));
        logger.warn('Callback dead-lettered', { webhookId: current.webhookId, attempts: current.attempt, reason: outcome.reason });
        await queues.deadLetter(current, outcome.reason);
      } catch (error) {
        logger.error('Callback attempt failed', { messageId: record.messageId, error: error as Error });
        failures.push({ itemIdentifier: record.messageId });
      }
    }),
  );
  return { batchItemFailures: failures };
});
