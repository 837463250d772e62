import type { SNSEventRecord } from 'aws-lambda';
import type { Notification } from '../providers/registry.js';

/** An SNS record as the providers read it: its id and time (the same on redelivery) and its JSON body (undefined when not JSON). */
export function notificationOf(record: SNSEventRecord): Notification {
  let body: unknown;
  try {
    body = JSON.parse(record.Sns.Message);
  } catch {
    body = undefined;
  }
  return { id: record.Sns.MessageId, timestamp: record.Sns.Timestamp, body };
}
