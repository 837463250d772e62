import { SendMessageBatchCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { CallbackJob, CallbackQueue } from '../domain/callbacks/attempt.js';
import { asciiJson, textAttribute } from './sqs.js';

/** The callback queue and its dead-letter queue. */
export function callbackQueues(client: SQSClient, urls: { queueUrl: string; deadLetterUrl: string }): CallbackQueue {
  return {
    async enqueue(jobs: CallbackJob[]): Promise<void> {
      for (let i = 0; i < jobs.length; i += 10) {
        const { Failed = [] } = await client.send(
          new SendMessageBatchCommand({
            QueueUrl: urls.queueUrl,
            Entries: jobs.slice(i, i + 10).map((job, n) => ({ Id: String(n), MessageBody: asciiJson(job) })),
          }),
        );
        if (Failed.length) throw new Error(`The callback queue refused ${Failed.length} job(s): ${Failed[0]!.Message}`);
      }
    },
    retry: async (job: CallbackJob, delaySeconds: number): Promise<void> => {
      await client.send(new SendMessageCommand({ QueueUrl: urls.queueUrl, MessageBody: asciiJson(job), DelaySeconds: delaySeconds }));
    },
    /** The job as it first was (attempt 1): replaying it from the dead-letter queue starts the schedule again, same webhook-id. */
    deadLetter: async (job: CallbackJob, reason: string): Promise<void> => {
      await client.send(
        new SendMessageCommand({
          QueueUrl: urls.deadLetterUrl,
          MessageBody: asciiJson({ ...job, attempt: 1 }),
          MessageAttributes: {
            reason: textAttribute(reason),
            attempts: { DataType: 'Number', StringValue: String(job.attempt) },
            webhookId: { DataType: 'String', StringValue: job.webhookId },
            subscriptionId: { DataType: 'String', StringValue: job.subscriptionId },
            accountId: { DataType: 'String', StringValue: job.accountId },
          },
        }),
      );
    },
  };
}
