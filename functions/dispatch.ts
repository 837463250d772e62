import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { dispatch } from '../lib/domain/delivery/dispatch.js';
import { logger, loggedHandler } from '../lib/log.js';
import { count, dispatchLatency } from '../lib/metrics.js';
import { dispatchDeps } from '../lib/runtime/delivery.js';
import { openContainer } from '../lib/runtime/index.js';
import { runBatch, streamRecordId } from '../lib/wire/batch.js';

const deps = dispatchDeps(openContainer());

/** What a batch may take at most (its records run at once: a claim, the hand-off marker, up to three provider calls with backoff, the outcome). */
const DISPATCH_RECORD_BUDGET_MS = 5000;

/**
 * The table's stream, filtered to new outgoing messages: each is handed to its channel's provider
 * exactly once (lib/domain/delivery/dispatch.ts). The record's event id is the attempt's id: a
 * redelivered record is recognised as the same attempt. Retries are bounded, and a record that keeps
 * failing goes to the on-failure destination.
 */
export const handler = loggedHandler<DynamoDBStreamEvent, DynamoDBBatchResponse>().handler((event, context) =>
  runBatch(
    event.Records,
    {
      mode: 'stream',
      parallel: true,
      recordBudgetMs: DISPATCH_RECORD_BUDGET_MS,
      idOf: streamRecordId,
      remainingMs: () => context.getRemainingTimeInMillis(),
    },
    async (record) => {
      let message;
      try {
        message = deps.streamMessage(record);
      } catch (error) {
        // No retry can mend an item that does not parse: logged, not retried.
        return logger.error('Unreadable message in the stream', { eventID: record.eventID, error: error as Error });
      }
      if (message?.direction !== 'Outgoing') return;
      const outcome = await dispatch(deps, message, record.eventID ?? message.id);
      count('Dispatched', { outcome });
      // Throttled after every attempt: the message waits, and the stream retries its record later.
      if (outcome === 'deferred') throw new Error(`The provider refused message ${message.id} for now (throttling); retried later`);
      if (outcome !== 'duplicate') dispatchLatency(Date.now() - Date.parse(message.date));
    },
  ),
);
