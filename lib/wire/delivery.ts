import type { DynamoDBBatchResponse, DynamoDBRecord, SNSEventRecord } from 'aws-lambda';
import * as z from 'zod/mini';
import type { StatusReport } from '../domain/delivery/provider.js';
import { logger } from '../log.js';
import { awsSmsEvent, parseAwsSmsEvent } from '../providers/aws-sms.js';
import { parseSimulatedReport } from '../providers/simulated.js';
import { SIMULATED_STATUSES } from '../providers/simulated-scenarios.js';

/** What one record may take at most (a claim, up to three provider calls with backoff, the outcome). */
export const DISPATCH_RECORD_BUDGET_MS = 5000;

/**
 * A stream batch with ReportBatchItemFailures. Every record is tried, even after one fails: messages
 * are independent, so a poison record never holds back the ones after it. The first record that
 * failed (or the first left unstarted near the deadline) is reported: the stream retries from there,
 * and the records after it that succeeded find their claims and do nothing. Retries are bounded and a
 * record that keeps failing goes to the on-failure destination.
 */
export async function dispatchBatch(records: DynamoDBRecord[], remainingMs: () => number, one: (record: DynamoDBRecord) => Promise<void>): Promise<DynamoDBBatchResponse> {
  let firstFailed: DynamoDBRecord | undefined;
  for (const record of records) {
    if (remainingMs() < DISPATCH_RECORD_BUDGET_MS) {
      firstFailed ??= record;
      break;
    }
    try {
      await one(record);
    } catch (error) {
      logger.error('Dispatch failed', { eventID: record.eventID, error: error as Error });
      firstFailed ??= record;
    }
  }
  return { batchItemFailures: firstFailed ? [{ itemIdentifier: firstFailed.dynamodb?.SequenceNumber ?? '' }] : [] };
}

const simulatedReport = z.object({
  provider: z.literal('simulated'),
  reportId: z.string(),
  messageId: z.string(),
  providerMessageId: z.string(),
  status: z.enum(Object.keys(SIMULATED_STATUSES) as [keyof typeof SIMULATED_STATUSES]),
  errorCode: z.optional(z.string()),
  occurredAt: z.string(),
});

/**
 * A provider's status event as it arrives on SNS. AWS End User Messaging's events come from the
 * stage's topic, which only that service may publish to; the simulated carrier's are taken only on a
 * stage that uses it. Anything else, or an event that is not a text's status, is undefined (logged, dropped).
 */
export function statusReportOf(record: SNSEventRecord, simulated: boolean): StatusReport | undefined {
  let body: unknown;
  try {
    body = JSON.parse(record.Sns.Message);
  } catch {
    body = undefined;
  }
  const simulatedBody = z.safeParse(simulatedReport, body);
  if (simulatedBody.success) return simulated ? parseSimulatedReport(simulatedBody.data) : undefined;
  const aws = z.safeParse(awsSmsEvent, body);
  return aws.success ? parseAwsSmsEvent(record.Sns.MessageId, aws.data) : undefined;
}
