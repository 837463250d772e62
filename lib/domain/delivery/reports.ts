import type { ChangeOutcome, DeliveryStore } from './delivery.js';
import type { StatusReport } from './provider.js';

/**
 * Applies a provider's report: the status moves only forward, and only for the delivery of that
 * provider and provider message id; the report is kept in the history either way.
 */
export const applyReport = (deliveries: DeliveryStore, report: StatusReport): Promise<ChangeOutcome> =>
  deliveries.change(report.messageId, {
    reportId: `${report.provider}:${report.reportId}`,
    status: report.status,
    date: report.occurredAt,
    source: report.provider,
    providerStatus: report.providerStatus,
    ...(report.errorCode ? { errorCode: report.errorCode } : {}),
    match: { provider: report.provider, providerMessageId: report.providerMessageId },
  });
