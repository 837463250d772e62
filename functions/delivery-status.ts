import type { SNSEvent } from 'aws-lambda';
import { applyReport } from '../lib/domain/delivery/reports.js';
import { logger, loggedHandler } from '../lib/log.js';
import { loadDeliveryConfig } from '../lib/providers/config.js';
import { deliveryStore } from '../lib/store/deliveries.js';
import { openContainer } from '../lib/runtime/index.js';
import { statusReportOf } from '../lib/wire/delivery.js';

const { table } = openContainer();
const config = loadDeliveryConfig();
const deliveries = deliveryStore(table);

/**
 * Providers' status events from the stage's SNS topic: each is applied if it moves its message
 * forward and kept in the history either way. A transient failure fails the invocation, and SNS's
 * asynchronous invocation retries it (a report applied twice is recognised by its id).
 */
export const handler = loggedHandler<SNSEvent, void>().handler(async (event) => {
  for (const record of event.Records) {
    const report = statusReportOf(record, config.simulated);
    if (!report) {
      logger.warn('Status event ignored', { snsMessageId: record.Sns.MessageId });
      continue;
    }
    const outcome = await applyReport(deliveries, report);
    if (outcome === 'missing') logger.warn('Status for an unknown message', { messageId: report.messageId, provider: report.provider });
  }
});
