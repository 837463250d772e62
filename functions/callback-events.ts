import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { webhookId, type CallbackJob } from '../lib/domain/callbacks.js';
import { logger, loggedHandler } from '../lib/log.js';
import { callbackQueuesOf } from '../lib/runtime/callbacks.js';
import { openContainer } from '../lib/runtime/index.js';
import { streamCallbackEvent } from '../lib/store/callback-stream.js';
import { listSubscriptions } from '../lib/store/callbacks.js';

const { table } = openContainer();
const queues = callbackQueuesOf();

/**
 * The table's stream, filtered to deliveries and incoming messages: each status change or reply
 * becomes one job per subscription of its account to that event, on the callback queue. Nothing
 * here is on the path of a send or a status update: they wrote, and this reads what they wrote.
 */
export const handler = loggedHandler<DynamoDBStreamEvent, DynamoDBBatchResponse>().handler(async (event) => {
  for (const record of event.Records) {
    try {
      const callback = streamCallbackEvent(record);
      if (!callback) continue;
      const subscriptions = (await listSubscriptions(table, callback.data.accountId)).filter((s) => s.events.includes(callback.type));
      const payload = JSON.stringify(callback);
      const jobs = subscriptions.map((s): CallbackJob => ({ subscriptionId: s.subscriptionId, accountId: s.accountId, webhookId: webhookId(callback), payload, attempt: 1 }));
      await queues.enqueue(jobs);
    } catch (error) {
      logger.error('Callback events failed', { eventID: record.eventID, error: error as Error });
      // Retried from here: a job enqueued twice carries the same webhook-id, which receivers deduplicate on.
      return { batchItemFailures: [{ itemIdentifier: record.dynamodb?.SequenceNumber ?? '' }] };
    }
  }
  return { batchItemFailures: [] };
});
