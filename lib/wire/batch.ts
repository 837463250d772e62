import type { DynamoDBRecord, SQSRecord } from 'aws-lambda';
import { logger } from '../log.js';

/** Lambda's partial batch response: the records to be retried. */
export interface BatchResponse {
  batchItemFailures: { itemIdentifier: string }[];
}

/**
 * How a pipeline's batch runs (Powertools' BatchProcessor is the model: queue and stream event
 * types, sequential or parallel processing, ReportBatchItemFailures).
 * - `queue`: every failed record is reported, each retried on its own (SQS).
 * - `stream`: the first failed record in order is reported, and the stream retries from there; the
 *   records after it that succeeded find their work done when they come again (DynamoDB streams).
 * - `parallel`: records run at once (each is a different message, so none waits on another), else
 *   one after another.
 * - `recordBudgetMs`: what one record may take at most. No record starts with less of the
 *   invocation left (in parallel, the batch as a whole): it is reported unstarted, for retry, so that
 *   a batch never times out with records half done.
 */
export interface BatchOptions {
  mode: 'queue' | 'stream';
  parallel: boolean;
  recordBudgetMs?: number;
}

export const sqsRecordId = (record: SQSRecord): string => record.messageId;
export const streamRecordId = (record: DynamoDBRecord): string => record.dynamodb?.SequenceNumber ?? '';

/** Runs `one` over the records as `options` say; a record that throws is logged and reported. */
export async function runBatch<R>(
  records: R[],
  options: BatchOptions & { idOf(record: R): string; remainingMs(): number },
  one: (record: R) => Promise<void>,
): Promise<BatchResponse> {
  const report = (failed: R[]): BatchResponse => ({
    batchItemFailures: (options.mode === 'stream' ? failed.slice(0, 1) : failed).map((record) => ({
      itemIdentifier: options.idOf(record),
    })),
  });
  const timeLeft = () => options.recordBudgetMs === undefined || options.remainingMs() >= options.recordBudgetMs;
  const run = async (record: R): Promise<boolean> => {
    try {
      await one(record);
      return true;
    } catch (error) {
      logger.error('Record failed', { record: options.idOf(record), error: error as Error });
      return false;
    }
  };
  if (options.parallel) {
    if (records.length > 0 && !timeLeft()) return report(records);
    const done = await Promise.all(records.map(run));
    return report(records.filter((_, index) => !done[index]));
  }
  const failed: R[] = [];
  for (const [index, record] of records.entries()) {
    if (!timeLeft()) {
      logger.warn('Batch stopped near its deadline', { unstarted: records.length - index });
      return report([...failed, ...records.slice(index)]);
    }
    if (!(await run(record))) {
      failed.push(record);
      // A stream retries from its first failure: what follows would only be done again.
      if (options.mode === 'stream') break;
    }
  }
  return report(failed);
}
