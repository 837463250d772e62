import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { contactEvent, receivedEvent, statusEvent, type CallbackEvent } from '../domain/callbacks/events.js';
import { deliveryItem } from './deliveries.js';
import { fromItem, messageItem } from './items.js';
import { CONSENT_TYPES, consentChangeItem } from './optouts.js';

/**
 * The callback event a stream record stands for: a delivery's status change, an incoming message, or
 * an opt-out change (the stream's filter passes only those); undefined for a delivery write that
 * changed no status.
 */
export function streamCallbackEvent(record: DynamoDBRecord): CallbackEvent | undefined {
  const image = record.dynamodb?.NewImage;
  if (!image) return undefined;
  const item = unmarshall(image as Parameters<typeof unmarshall>[0]);
  if (item.type === 'Delivery') return statusEvent(fromItem(deliveryItem, item)!);
  if (item.type === 'Message' && item.direction === 'Incoming') return receivedEvent(fromItem(messageItem, item)!);
  if (item.type === CONSENT_TYPES.change) return contactEvent(fromItem(consentChangeItem, item)!);
  return undefined;
}
