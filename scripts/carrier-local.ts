import { DeleteCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { SNSEvent } from 'aws-lambda';
import { randomUUID } from 'node:crypto';
import type { Clock } from '../lib/domain/ports.js';
import { CARRIER_PARTITION, CARRIER_REPORT_PREFIX } from '../lib/store/keys.js';
import type { Table } from '../lib/store/table.js';
import { invokeLambda, loop } from './lambda-invoke.js';

/** The topic a real provider's events would come from; the simulated carrier's reports arrive the same way. */
const TOPIC_ARN = 'arn:aws:sns:us-east-1:000000000000:messaging-api-dev-delivery-status';

/** One report as SNS hands it to `delivery-status`. */
export const snsEvent = (message: unknown, messageId: string = randomUUID()): SNSEvent => ({
  Records: [
    {
      EventSource: 'aws:sns',
      EventVersion: '1.0',
      EventSubscriptionArn: `${TOPIC_ARN}:local`,
      Sns: {
        Type: 'Notification',
        MessageId: messageId,
        TopicArn: TOPIC_ARN,
        Subject: '',
        Message: JSON.stringify(message),
        Timestamp: new Date().toISOString(),
        SignatureVersion: '1',
        Signature: '',
        SigningCertUrl: '',
        UnsubscribeUrl: '',
        MessageAttributes: {},
      },
    },
  ],
});

/**
 * The simulated carrier's sending side: every report that is due on `clock` is sent to
 * `delivery-status` as an SNS notification, each message's one at a time in the order they fall due
 * (the order its scenario gives), and removed once the function took it. A report the function
 * failed stays and is sent again, as SNS retries an asynchronous invocation.
 */
export function runCarrierReports(table: Table, invokeUrl: string, clock: Clock = { now: () => new Date() }): { stop(): Promise<void> } {
  return loop('Simulated carrier', 100, async (signal) => {
    const { Items = [] } = await table.client.send(
      new QueryCommand({
        TableName: table.name,
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        ExpressionAttributeValues: {
          ':pk': CARRIER_PARTITION,
          ':from': CARRIER_REPORT_PREFIX,
          ':to': `${CARRIER_REPORT_PREFIX}${clock.now().toISOString()}~`,
        },
      }),
      { abortSignal: signal },
    );
    // Each message's reports in order (its scenario's order is the point); different messages' at once.
    const byMessage = new Map<string, typeof Items>();
    for (const item of Items) byMessage.set(String(item.body.messageId), [...(byMessage.get(String(item.body.messageId)) ?? []), item]);
    await Promise.all(
      [...byMessage.values()].map(async (reports) => {
        for (const item of reports) {
          const outcome = await invokeLambda(invokeUrl, snsEvent(item.body), signal);
          if (!outcome.ok) return;
          await table.client.send(new DeleteCommand({ TableName: table.name, Key: { pk: item.pk, sk: item.sk } }));
        }
      }),
    );
    return Items.length > 0;
  });
}
