import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { runCommand } from '../lib/domain/commands.js';
import { loggedHandler } from '../lib/log.js';
import { eventDeps } from '../lib/runtime/events.js';
import { openContainer } from '../lib/runtime/index.js';
import { runBatch, sqsRecordId } from '../lib/wire/batch.js';
import { commandFromSqs, producerOfSqs, RECORD_BUDGET_MS, settle } from '../lib/wire/events.js';

const deps = eventDeps(openContainer());

/**
 * SQS batches with ReportBatchItemFailures: a permanent refusal goes to the dead-letter queue at
 * once, a transient failure is reported for retry (after maxReceiveCount receives SQS moves it there).
 */
export const handler = loggedHandler<SQSEvent, SQSBatchResponse>().handler((event, context) =>
  runBatch(
    event.Records,
    {
      mode: 'queue',
      parallel: false,
      recordBudgetMs: RECORD_BUDGET_MS,
      idOf: sqsRecordId,
      remainingMs: () => context.getRemainingTimeInMillis(),
    },
    (record) =>
      settle(() => runCommand(deps, producerOfSqs(record), commandFromSqs(record)), deps.deadLetter, record.body, {
        messageId: record.messageId,
        // Shows in the dead-letter queue that a permanent refusal was not retried.
        receiveCount: record.attributes.ApproximateReceiveCount,
      }),
  ),
);
