import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { parseCallbackJob, sendCallback } from '../lib/domain/callbacks/attempt.js';
import { logger, loggedHandler } from '../lib/log.js';
import { sendCallbackDeps } from '../lib/runtime/callback-send.js';
import { openContainer } from '../lib/runtime/index.js';

const deps = sendCallbackDeps(openContainer());

/**
 * One attempt per job (lib/domain/callbacks/attempt.ts): signed with the subscription's live secrets,
 * POSTed to its URL (checked again); then done, back on the queue after the schedule's next step, or
 * dead-lettered with why. A deleted subscription drops its jobs.
 */
export const handler = loggedHandler<SQSEvent, SQSBatchResponse>().handler(async (event) => {
  const failures: { itemIdentifier: string }[] = [];
  await Promise.all(
    event.Records.map(async (record) => {
      try {
        const job = parseCallbackJob(record.body);
        const result = await sendCallback(deps, job);
        if (result.kind === 'dropped') logger.info('Callback dropped: subscription deleted', { webhookId: job.webhookId });
        else if (result.next.kind === 'dead-letter') logger.warn('Callback dead-lettered', { webhookId: job.webhookId, attempts: job.attempt, reason: result.next.reason });
      } catch (error) {
        logger.error('Callback attempt failed', { messageId: record.messageId, error: error as Error });
        failures.push({ itemIdentifier: record.messageId });
      }
    }),
  );
  return { batchItemFailures: failures };
});
