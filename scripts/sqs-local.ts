import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
  type Message,
} from '@aws-sdk/client-sqs';
import type { SQSMessageAttributes, SQSRecord } from 'aws-lambda';
import { buildApp } from 'fauxqs';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

/** The local SQS API: the send queue with its dead-letter queue, and the event dead-letter queue. */
export interface SqsLocal {
  endpoint: string;
  queues: { send: LocalQueue; sendDlq: LocalQueue; eventDlq: LocalQueue; callbacks: LocalQueue; callbackDlq: LocalQueue };
  stop(): Promise<void>;
}

export interface LocalQueue {
  url: string;
  arn: string;
}

/**
 * How long a received record stays hidden before it is delivered again. Locally 2 s instead of
 * serverless.yml's 60, so that a retried record comes back while a developer (or a test) waits.
 */
export const LOCAL_VISIBILITY_TIMEOUT_S = 2;

/** maxReceiveCount of the send queue's redrive policy, as serverless.yml deploys it. */
export function sendQueueMaxReceiveCount(file = new URL('../serverless.yml', import.meta.url)): number {
  const config = parse(readFileSync(file, 'utf8')) as {
    resources: { Resources: { SendQueue: { Properties: { RedrivePolicy: { maxReceiveCount: number } } } } };
  };
  return config.resources.Resources.SendQueue.Properties.RedrivePolicy.maxReceiveCount;
}

/** fauxqs (an SQS API in this process) on loopback only, with the stage's queues. */
export async function startSqsLocal(port: number, prefix = 'messaging-api-dev'): Promise<SqsLocal> {
  const app = buildApp({ logger: false });
  await app.listen({ port, host: '127.0.0.1' });
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new SQSClient({ endpoint });
  const create = async (name: string, Attributes: Record<string, string> = {}): Promise<LocalQueue> => {
    const { QueueUrl } = await client.send(new CreateQueueCommand({ QueueName: `${prefix}-${name}`, Attributes }));
    const { Attributes: created } = await client.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
    return { url: QueueUrl!, arn: created!.QueueArn! };
  };
  try {
    const sendDlq = await create('send-dlq');
    const send = await create('send', {
      VisibilityTimeout: String(LOCAL_VISIBILITY_TIMEOUT_S),
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: sendDlq.arn, maxReceiveCount: sendQueueMaxReceiveCount() }),
    });
    const callbackDlq = await create('callback-dlq');
    const callbacks = await create('callbacks', { VisibilityTimeout: String(LOCAL_VISIBILITY_TIMEOUT_S) });
    return { endpoint, queues: { send, sendDlq, eventDlq: await create('event-dlq'), callbacks, callbackDlq }, stop: () => app.close() };
  } catch (error) {
    await app.close();
    throw error;
  } finally {
    client.destroy();
  }
}

/**
 * What Lambda's SQS event source does, for serverless-offline (which polls nothing itself):
 * receive up to 10 records, invoke the function with them through the Lambda invoke API, delete
 * those it did not report in `batchItemFailures`. Records it failed, or all of them when the
 * invocation failed, come back after the visibility timeout, until the redrive policy moves them
 * to the dead-letter queue. (serverless-offline-sqs deletes a whole batch whenever the handler
 * returns, so it cannot show partial batch failures, and it needs the v2 AWS SDK.)
 */
export function pollQueue(sqs: SqsLocal, queue: LocalQueue, invokeUrl: string): { stop(): Promise<void> } {
  const client = new SQSClient({ endpoint: sqs.endpoint });
  const abort = new AbortController();
  const poll = async (): Promise<void> => {
    const { Messages = [] } = await client.send(
      new ReceiveMessageCommand({
        QueueUrl: queue.url,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 1,
        MessageSystemAttributeNames: ['All'],
        MessageAttributeNames: ['All'],
      }),
      { abortSignal: abort.signal },
    );
    if (Messages.length === 0) return;
    const response = await fetch(invokeUrl, {
      method: 'POST',
      body: JSON.stringify({ Records: Messages.map((m) => toRecord(m, queue)) }),
      signal: abort.signal,
    });
    const result = (await response.json().catch(() => undefined)) as { batchItemFailures?: { itemIdentifier: string }[] } | undefined;
    // serverless-offline answers a thrown error with 200 and an errorMessage: no batchItemFailures, so all failed.
    const failed = new Set(result?.batchItemFailures?.map((f) => f.itemIdentifier) ?? Messages.map((m) => m.MessageId));
    const done = Messages.filter((m) => !failed.has(m.MessageId));
    if (done.length === 0) return;
    await client.send(
      new DeleteMessageBatchCommand({
        QueueUrl: queue.url,
        Entries: done.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle })),
      }),
    );
  };
  const loop = (async () => {
    while (!abort.signal.aborted) {
      await poll().catch(async (error: Error) => {
        if (abort.signal.aborted) return;
        console.error(`SQS poller: ${error.message}`);
        await new Promise((resolve) => setTimeout(resolve, 1000));
      });
    }
  })();
  return {
    async stop() {
      abort.abort();
      await loop;
      client.destroy();
    },
  };
}

/** A received message as Lambda's SQS event source hands it to the function. */
function toRecord(message: Message, queue: LocalQueue): SQSRecord {
  const messageAttributes: SQSMessageAttributes = Object.fromEntries(
    Object.entries(message.MessageAttributes ?? {}).map(([name, a]) => [
      name,
      { dataType: a.DataType!, stringValue: a.StringValue, stringListValues: [], binaryListValues: [] },
    ]),
  );
  return {
    messageId: message.MessageId!,
    receiptHandle: message.ReceiptHandle!,
    body: message.Body ?? '',
    attributes: message.Attributes as unknown as SQSRecord['attributes'],
    messageAttributes,
    md5OfBody: message.MD5OfBody ?? '',
    eventSource: 'aws:sqs',
    eventSourceARN: queue.arn,
    awsRegion: queue.arn.split(':')[3]!,
  };
}
