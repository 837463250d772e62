import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { fanOut } from '../lib/domain/callbacks/fan-out.js';
import { logger, loggedHandler } from '../lib/log.js';
import { fanOutDeps, streamCallbackEvent } from '../lib/runtime/callbacks.js';
import { openContainer } from '../lib/runtime/index.js';

const deps = fanOutDeps(openContainer());

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
      await fanOut(deps, callback);
    } catch (error) {
      logger.error('Callback events failed', { eventID: record.eventID, error: error as Error });
      // Retried from here: a job enqueued twice carries the same webhook-id, which receivers deduplicate on.
      return { batchItemFailures: [{ itemIdentifier: record.dynamodb?.SequenceNumber ?? '' }] };
    }
  }
  return { batchItemFailures: [] };
});
