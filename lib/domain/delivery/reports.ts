import type { ChangeOutcome, DeliveryStore } from './delivery.js';
import type { StatusReport } from './provider.js';

/** Applies a provider's report: the status moves only forward, and the report is kept in the history either way. */
export const applyReport = (deliveries: DeliveryStore, report: StatusReport): Promise<ChangeOutcome> =>
  deliveries.change(report.messageId, {
    reportId: `${report.provider}:${report.reportId}`,
    status: report.status,
    date: report.occurredAt,
    source: report.provider,
    providerStatus: report.providerStatus,
    ...(report.errorCode ? { errorCode: report.errorCode } : {}),
    ...(report.providerMessageId ? { providerMessageId: report.providerMessageId } : {}),
  });
