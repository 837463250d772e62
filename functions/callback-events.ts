import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { fanOut } from '../lib/domain/callbacks/fan-out.js';
import { loggedHandler } from '../lib/log.js';
import { fanOutDeps, streamCallbackEvent } from '../lib/runtime/callbacks.js';
import { openContainer } from '../lib/runtime/index.js';
import { runBatch, streamRecordId } from '../lib/wire/batch.js';

const deps = fanOutDeps(openContainer());

/**
 * The table's stream, filtered to deliveries and incoming messages: each status change or reply
 * becomes one job per subscription of its account to that event, on the callback queue. Nothing
 * here is on the path of a send or a status update: they wrote, and this reads what they wrote.
 * A failed record is retried from there: a job enqueued twice carries the same webhook-id, which
 * receivers deduplicate on.
 */
export const handler = loggedHandler<DynamoDBStreamEvent, DynamoDBBatchResponse>().handler((event, context) =>
  runBatch(
    event.Records,
    { mode: 'stream', parallel: false, idOf: streamRecordId, remainingMs: () => context.getRemainingTimeInMillis() },
    async (record) => {
      const callback = streamCallbackEvent(record);
      if (callback) await fanOut(deps, callback);
    },
  ),
);
