import type { SQSBatchItemFailure, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { runCommand } from '../lib/domain/commands.js';
import { loggedHandler } from '../lib/log.js';
import { phoneNumbers } from '../lib/domain/phone.js';
import { commandDeps, openContainer } from '../lib/runtime.js';
import { commandFromSqs, logRefusedEvent } from '../lib/wire/events.js';

const deps = commandDeps(openContainer(), phoneNumbers);

/**
 * SQS batches with ReportBatchItemFailures: each record is sent on its own (in order, so that a
 * session's messages keep their order) and only the records that failed are reported for retry.
 */
export const handler = loggedHandler<SQSEvent, SQSBatchResponse>().handler(async (event) => {
  const batchItemFailures: SQSBatchItemFailure[] = [];
  for (const record of event.Records) {
    try {
      await runCommand(deps, commandFromSqs(record));
    } catch (error) {
      logRefusedEvent(error, { messageId: record.messageId });
      batchItemFailures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures };
});
