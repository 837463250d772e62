import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { parseCallbackJob, sendCallback } from '../lib/domain/callbacks/attempt.js';
import { logger, loggedHandler } from '../lib/log.js';
import { callbackSettings } from '../lib/runtime/callbacks.js';
import { sendCallbackDeps } from '../lib/runtime/callback-send.js';
import { openContainer } from '../lib/runtime/index.js';
import { runBatch, sqsRecordId } from '../lib/wire/batch.js';

const deps = sendCallbackDeps(openContainer());
/** An attempt's timeout bounds its lookup, connection and answer; a second more for the queue write after it. */
const JOB_BUDGET_MS = callbackSettings().timeoutMs + 1000;

/**
 * One attempt per job (lib/domain/callbacks/attempt.ts): signed with the subscription's live secrets,
 * POSTed to its URL (checked again); then done, back on the queue after the schedule's next step, or
 * dead-lettered with why. A deleted subscription drops its jobs. The jobs of a batch run at once, so
 * a receiver that never answers delays no other job beyond its own timeout.
 */
export const handler = loggedHandler<SQSEvent, SQSBatchResponse>().handler((event, context) =>
  runBatch(
    event.Records,
    {
      mode: 'queue',
      parallel: true,
      recordBudgetMs: JOB_BUDGET_MS,
      idOf: sqsRecordId,
      remainingMs: () => context.getRemainingTimeInMillis(),
    },
    async (record) => {
      const job = parseCallbackJob(record.body);
      const result = await sendCallback(deps, job);
      if (result.kind === 'dropped') logger.info('Callback dropped: subscription deleted', { webhookId: job.webhookId });
      else if (result.next.kind === 'dead-letter')
        logger.warn('Callback dead-lettered', { webhookId: job.webhookId, attempts: job.attempt, reason: result.next.reason });
    },
  ),
);
