import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import type { StoredMessage } from '../domain/message-info.js';
import { fromItem, messageItem } from './items.js';

/** The message a stream record's new image holds (the stream's filter passes only new outgoing messages). */
export function streamMessage(record: DynamoDBRecord): StoredMessage | undefined {
  const image = record.dynamodb?.NewImage;
  return image && fromItem(messageItem, unmarshall(image as Parameters<typeof unmarshall>[0]));
}
