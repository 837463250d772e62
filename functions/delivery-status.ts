import type { SNSEvent } from 'aws-lambda';
import { applyReport } from '../lib/domain/delivery/reports.js';
import { logger, loggedHandler } from '../lib/log.js';
import { statusDeps } from '../lib/runtime/delivery.js';
import { openContainer } from '../lib/runtime/index.js';
import { notificationOf } from '../lib/wire/sns.js';

const deps = statusDeps(openContainer());

/**
 * Providers' status events from the stage's SNS topic: each is applied if it moves its message
 * forward and kept in the history either way. A transient failure fails the invocation, and SNS's
 * asynchronous invocation retries it (a report applied twice is recognised by its id).
 */
export const handler = loggedHandler<SNSEvent, void>().handler(async (event) => {
  for (const record of event.Records) {
    const report = deps.statusReport(notificationOf(record));
    if (!report) {
      logger.warn('Status event ignored', { snsMessageId: record.Sns.MessageId });
      continue;
    }
    const outcome = await applyReport(deps.deliveries, report);
    if (outcome === 'missing') logger.warn('Status for an unknown message', { messageId: report.messageId, provider: report.provider });
    if (outcome === 'rejected')
      logger.warn('Status for another provider message, rejected', { messageId: report.messageId, provider: report.provider });
  }
});
