import type { DynamoDBBatchResponse, DynamoDBRecord, SNSEventRecord } from 'aws-lambda';
import * as z from 'zod/mini';
import type { StatusReport } from '../domain/delivery/provider.js';
import { logger } from '../log.js';
import { awsSmsEvent, parseAwsSmsEvent } from '../providers/aws-sms.js';
import { parseSimulatedReport } from '../providers/simulated.js';
import { SIMULATED_STATUSES } from '../providers/simulated-scenarios.js';

/** What a batch may take at most (its records run at once: a claim, up to three provider calls with backoff, the outcome). */
export const DISPATCH_RECORD_BUDGET_MS = 5000;

/**
 * A stream batch with ReportBatchItemFailures. Its records are dispatched concurrently: each is a
 * different message (a message is inserted once), so none waits on another and a poison record never
 * holds back the rest. The first record in stream order that failed (or every one, when too little
 * of the invocation is left to start) is reported: the stream retries from there, and the records
 * after it that succeeded find their claims and do nothing. Retries are bounded, and a record that
 * keeps failing goes to the on-failure destination.
 */
export async function dispatchBatch(records: DynamoDBRecord[], remainingMs: () => number, one: (record: DynamoDBRecord) => Promise<void>): Promise<DynamoDBBatchResponse> {
  const failure = (record: DynamoDBRecord) => ({ batchItemFailures: [{ itemIdentifier: record.dynamodb?.SequenceNumber ?? '' }] });
  if (records.length > 0 && remainingMs() < DISPATCH_RECORD_BUDGET_MS) return failure(records[0]!);
  const outcomes = await Promise.allSettled(records.map((record) => one(record)));
  outcomes.forEach((outcome, index) => {
    if (outcome.status === 'rejected') logger.error('Dispatch failed', { eventID: records[index]!.eventID, error: outcome.reason as Error });
  });
  const failed = outcomes.findIndex((outcome) => outcome.status === 'rejected');
  return failed < 0 ? { batchItemFailures: [] } : failure(records[failed]!);
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
