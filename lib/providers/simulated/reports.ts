import * as z from 'zod/mini';
import type { StatusReport } from '../../domain/delivery/provider.js';
import type { Notification } from '../registry.js';
import { SIMULATED_STATUSES } from './scenarios.js';

/** The body of a simulated status report, as the carrier sends it (to `delivery-status`, like a real provider's). */
const simulatedReport = z.object({
  provider: z.literal('simulated'),
  reportId: z.string(),
  messageId: z.string(),
  providerMessageId: z.string(),
  status: z.enum(Object.keys(SIMULATED_STATUSES) as [keyof typeof SIMULATED_STATUSES]),
  errorCode: z.optional(z.string()),
  occurredAt: z.string(),
});

export type SimulatedReport = z.infer<typeof simulatedReport>;

/** A simulated report in our status model, or undefined when the notification is not one. */
export function simulatedStatusReport(notification: Notification): StatusReport | undefined {
  const parsed = z.safeParse(simulatedReport, notification.body);
  if (!parsed.success) return undefined;
  const body = parsed.data;
  return {
    reportId: body.reportId,
    messageId: body.messageId,
    provider: 'simulated',
    status: SIMULATED_STATUSES[body.status],
    providerStatus: body.status,
    providerMessageId: body.providerMessageId,
    occurredAt: body.occurredAt,
    ...(body.errorCode ? { errorCode: body.errorCode } : {}),
  };
}
