import { SendMessageBatchCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import * as z from 'zod/mini';
import type { CallbackJob } from './domain/callbacks.js';
import { asciiJson } from './wire/dead-letter.js';

const list = z.pipe(
  z.string(),
  z.transform((text) => text.split(',').filter(Boolean).map(Number)),
);

const schema = z.object({
  CALLBACK_QUEUE_URL: z.string().check(z.minLength(1)),
  CALLBACK_DLQ_URL: z.string().check(z.minLength(1)),
  SQS_ENDPOINT: z.optional(z.string()),
  /** Seconds before each retry (SQS delays: at most 900 each). */
  CALLBACK_RETRY_SECONDS: z._default(list, [10, 60, 300, 900, 900, 900]),
  CALLBACK_TIMEOUT_MS: z._default(z.coerce.number().check(z.int(), z.minimum(100)), 5000),
  /** 'true' only locally: callbacks may go to loopback and private addresses, over http. */
  CALLBACK_ALLOW_PRIVATE: z._default(z.enum(['true', 'false']), 'false'),
});

export type CallbackConfig = z.infer<typeof schema>;

export function loadCallbackConfig(env: Record<string, string | undefined> = process.env): CallbackConfig {
  const result = z.safeParse(schema, env);
  if (!result.success) throw new Error(`Invalid callback configuration: ${result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  if (result.data.CALLBACK_RETRY_SECONDS.some((s) => !Number.isInteger(s) || s < 0 || s > 900)) throw new Error('Invalid callback configuration: CALLBACK_RETRY_SECONDS: 0 to 900 each');
  return result.data;
}

/** The callback queue and its dead-letter queue (SQS_ENDPOINT only for the local emulator). */
export function callbackQueues(config: CallbackConfig) {
  const client = new SQSClient({ endpoint: config.SQS_ENDPOINT || undefined });
  return {
    async enqueue(jobs: CallbackJob[]): Promise<void> {
      for (let i = 0; i < jobs.length; i += 10) {
        const { Failed = [] } = await client.send(
          new SendMessageBatchCommand({ QueueUrl: config.CALLBACK_QUEUE_URL, Entries: jobs.slice(i, i + 10).map((job, n) => ({ Id: String(n), MessageBody: asciiJson(job) })) }),
        );
        if (Failed.length) throw new Error(`The callback queue refused ${Failed.length} job(s): ${Failed[0]!.Message}`);
      }
    },
    retry: (job: CallbackJob, delaySeconds: number) =>
      client.send(new SendMessageCommand({ QueueUrl: config.CALLBACK_QUEUE_URL, MessageBody: asciiJson(job), DelaySeconds: delaySeconds })),
    /** The job as it first was (attempt 1): replaying it from the dead-letter queue starts the schedule again, same webhook-id. */
    deadLetter: (job: CallbackJob, reason: string) =>
      client.send(
        new SendMessageCommand({
          QueueUrl: config.CALLBACK_DLQ_URL,
          MessageBody: asciiJson({ ...job, attempt: 1 }),
          MessageAttributes: {
            reason: { DataType: 'String', StringValue: asciiJson(reason).slice(1, -1) },
            attempts: { DataType: 'Number', StringValue: String(job.attempt) },
            webhookId: { DataType: 'String', StringValue: job.webhookId },
            subscriptionId: { DataType: 'String', StringValue: job.subscriptionId },
            accountId: { DataType: 'String', StringValue: job.accountId },
          },
        }),
      ),
  };
}
