import {
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ReceiveMessageCommand,
  SQSClient,
  type Message,
} from '@aws-sdk/client-sqs';
import { ports } from './stack.js';

/** The stack's SQS emulator, as a producer or an operator would reach it. */
export const sqs = new SQSClient({ endpoint: `http://127.0.0.1:${ports.sqs}` });

export const queueUrl = async (name: 'send' | 'send-dlq' | 'event-dlq' | 'callback-dlq'): Promise<string> =>
  (await sqs.send(new GetQueueUrlCommand({ QueueName: `messaging-api-dev-${name}` }))).QueueUrl!;

/** A message attribute's string value. */
export const attribute = (message: Message, name: string) => message.MessageAttributes?.[name]?.StringValue;

/**
 * Takes from a queue the messages that `match`, until `count` have come (or `timeoutMs` passed);
 * others are left visible for the tests they belong to.
 */
export async function take(
  name: 'send-dlq' | 'event-dlq' | 'callback-dlq',
  match: (m: Message) => boolean,
  count = 1,
  timeoutMs = 25_000,
): Promise<Message[]> {
  const QueueUrl = await queueUrl(name);
  const taken: Message[] = [];
  const deadline = Date.now() + timeoutMs;
  while (taken.length < count && Date.now() < deadline) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 1,
        VisibilityTimeout: 0,
        MessageSystemAttributeNames: ['All'],
        MessageAttributeNames: ['All'],
      }),
    );
    for (const message of Messages.filter(match)) {
      taken.push(message);
      await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: message.ReceiptHandle }));
    }
  }
  return taken;
}

/** True once the send queue holds nothing, visible or in flight. */
export async function sendQueueIsEmpty(): Promise<boolean> {
  const { Attributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: await queueUrl('send'),
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return Attributes.ApproximateNumberOfMessages === '0' && Attributes.ApproximateNumberOfMessagesNotVisible === '0';
}

/** Probes until `done` (or `timeoutMs` passed) and returns the last value: for work that a queue or bus does later. */
export async function eventually<T>(probe: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
