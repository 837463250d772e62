import * as z from 'zod/mini';
import { outgoingToDeviceSchema } from '../../domain/edna/outgoing-to-device.js';
import { listMessagesSchema } from '../../domain/list-messages.js';
import { listMessagesRequestSchema } from '../../domain/list-messages-request.js';
import { messageStatusSchema, type MessageStatus } from '../../domain/delivery/message-status.js';
import { markMessageReadSchema } from '../../domain/mark-read.js';
import { DELIVERY_STATUSES } from '../../domain/delivery/status.js';
import type { MessageListResponse } from '../../domain/list-messages-query.js';
import type { EdnaReply, MessageInfo } from '../../domain/message-info.js';
import type { Dropped } from '../../domain/inbound.js';
import type { Handoff } from '../../providers/simulated/carrier.js';
import type { MessageList } from '../../domain/list-messages.js';
import { sendMessageSchema } from '../../domain/send-message.js';
import type { EdnaErrorBody } from '../edna/errors.js';
import type { ResponseStatus } from '../servicestack/errors.js';

/**
 * The published contract: the handlers' own request schemas plus schemas of what they answer, each
 * named (`id`) and described here, so that every description (OpenAPI, ServiceStack's /types and
 * metadata pages) comes from one registry. Kept out of lib/domain so that no send function bundles
 * the descriptions.
 */
export interface Documented {
  id?: string;
  description?: string;
  examples?: unknown[];
  /** JSON Schema keywords for rules zod checks by code (a refine), which it can not write itself. */
  minLength?: number;
  pattern?: string;
}
export const contract = z.registry<Documented>();

const text = (description: string) => ({ description });

// Responses. Each has a compile-time check below that it is exactly the type the handlers answer.
export const messageDirectionsSchema = z.enum(['Incoming', 'Outgoing']);
export const messageInfoSchema = z.object({
  id: z.string(),
  accountId: z.string(),
  customerId: z.string(),
  endpointId: z.string(),
  endpointDisplayName: z.string(),
  date: z.string(),
  direction: messageDirectionsSchema,
  otherAddress: z.string(),
  sender: z.string(),
  text: z.string(),
  isUnread: z.boolean(),
});
export const messageListSchema = z.object({ results: z.array(messageInfoSchema), next: z.optional(z.string()) });
export const ednaReplySchema = z.object({
  id: z.number(),
  threadId: z.number(),
  clientId: z.number(),
  clientExternalId: z.nullable(z.string()),
  agentId: z.number(),
});
const responseErrorSchema = z.object({ errorCode: z.string(), fieldName: z.string(), message: z.string() });
export const responseStatusSchema = z.object({
  errorCode: z.string(),
  message: z.string(),
  errors: z.optional(z.array(responseErrorSchema)),
});
export const errorResponseSchema = z.object({ responseStatus: responseStatusSchema });
export const ednaErrorSchema = z.object({
  timestamp: z.string(),
  status: z.number(),
  error: z.string(),
  message: z.string(),
  path: z.string(),
  errors: z.optional(z.array(z.object({ field: z.string(), message: z.string() }))),
});

// The simulated carrier's routes (/dev/carrier/*), described only on stages that serve them.
export const carrierInboundSchema = z.object({
  from: z.string().check(z.minLength(1), z.maxLength(64)),
  to: z.string().check(z.minLength(1), z.maxLength(64)),
  text: z.string().check(z.minLength(1), z.maxLength(1600)),
  id: z.optional(z.string().check(z.minLength(1), z.maxLength(128))),
  receivedAt: z.optional(z.string()),
});
export const carrierReceivedSchema = z.object({ message: messageInfoSchema, sessionId: z.string() });
export const carrierDroppedSchema = z.object({ dropped: z.enum(['unknown-number', 'invalid-number']), number: z.string() });
const handoffSchema = z.object({
  messageId: z.string(),
  sessionId: z.string(),
  accountId: z.string(),
  channel: z.string(),
  from: z.string(),
  to: z.string(),
  text: z.string(),
  segments: z.number(),
  calls: z.number(),
  firstCallAt: z.string(),
  handedOffAt: z.optional(z.string()),
  providerMessageId: z.optional(z.string()),
});
export const carrierOutboxSchema = z.object({ outbox: z.array(handoffSchema) });
/** The schemas of the /dev/carrier/* routes: left out of the document of a stage without them. */
export const DEV_SCHEMAS = ['CarrierInbound', 'CarrierReceived', 'CarrierDropped', 'CarrierHandoff', 'CarrierOutbox'];

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const same = <A, B>(proof: Same<A, B>) => proof;
export const listResponseSchema = z.object({
  items: z.array(messageInfoSchema),
  totalCount: z.int(),
  totalPages: z.int(),
  hasMorePages: z.boolean(),
});
const deliveryStatusSchema = z.enum(DELIVERY_STATUSES);
const statusChangeSchema = z.object({
  status: deliveryStatusSchema,
  date: z.string(),
  source: z.string(),
  applied: z.boolean(),
  rejected: z.optional(z.enum(['provider-mismatch'])),
  providerStatus: z.optional(z.string()),
  errorCode: z.optional(z.string()),
  consent: z.optional(z.string()),
});
export const messageStatusResponseSchema = z.object({
  messageId: z.string(),
  status: deliveryStatusSchema,
  statusUpdatedAt: z.string(),
  segments: z.optional(z.number()),
  encoding: z.optional(z.string()),
  provider: z.optional(z.string()),
  providerMessageId: z.optional(z.string()),
  errorCode: z.optional(z.string()),
  errorMessage: z.optional(z.string()),
  history: z.array(statusChangeSchema),
  historyDropped: z.optional(z.number()),
});
same<z.infer<typeof messageStatusResponseSchema>, MessageStatus>(true);
same<z.infer<typeof messageInfoSchema>, MessageInfo>(true);
same<z.infer<typeof listResponseSchema>, MessageListResponse>(true);
same<z.infer<typeof messageListSchema>, MessageList>(true);
same<z.infer<typeof ednaReplySchema>, EdnaReply>(true);
same<z.infer<typeof responseStatusSchema>, ResponseStatus>(true);
same<z.infer<typeof ednaErrorSchema>, EdnaErrorBody>(true);
same<z.infer<typeof handoffSchema>, Handoff>(true);
same<z.infer<typeof carrierDroppedSchema>, Dropped>(true);

/** What the demo stack really answered (README, `npm start`): the examples of the document. */
export const EXAMPLE_MESSAGE: MessageInfo = {
  id: '01KW3Q4ZJ2B9T8F0S6M1C5H7RD',
  accountId: 'acct_demo',
  customerId: 'cus_demo',
  endpointId: 'ep_demo',
  endpointDisplayName: 'Demo Line',
  date: '2026-11-25T00:37:59.917Z',
  direction: 'Outgoing',
  otherAddress: '+15556667777',
  sender: '+15550001111',
  text: 'Hello from the README',
  isUnread: false,
};

const send = sendMessageSchema.shape;
contract.add(sendMessageSchema, {
  id: 'SendMessage',
  description: 'Send a message into a session, or to an address from one of your endpoints',
  examples: [{ sessionId: 'ses_demo', body: 'Hello from the README' }],
});
contract.add(send.sessionId, text('The ID of the session you want to post a message to. Specify either this or EndpointId+ToAddress'));
contract.add(
  send.endpointId,
  text(
    'The ID of the endpoint you want to post a message to. Typically the ID of a phone number endpoint. Not used if SessionId is specified',
  ),
);
contract.add(
  send.toAddress,
  text('The address of the party you want to send a message to, e.g. +15556667777. Not used if SessionId is specified'),
);
// The text is trimmed and must show something (lib/domain/validation.ts notBlank): never empty.
contract.add(send.body, { description: 'The body of the message', minLength: 1, pattern: '\\S' });

const info = messageInfoSchema.shape;
contract.add(messageDirectionsSchema, { id: 'MessageDirections' });
contract.add(messageInfoSchema, { id: 'MessageInfo', description: 'A message as stored and returned', examples: [EXAMPLE_MESSAGE] });
contract.add(info.id, text('The message ID (a ULID: sorts by creation time)'));
contract.add(info.date, text('When the message was created, ISO 8601 UTC'));
contract.add(info.otherAddress, text('The other party, E.164 for phone endpoints'));
contract.add(info.sender, text("The sender's address: the endpoint's own for outgoing messages"));

const list = listMessagesSchema.shape;
contract.add(listMessagesSchema, { id: 'ListSessionMessages', description: "A session's messages, newest first, one page at a time" });
contract.add(list.limit, text('How many messages per page, 1 to 100 (default 20)'));
contract.add(list.cursor, text("The previous page's `next`, for the page after it"));
contract.add(messageStatusSchema, {
  id: 'GetMessageStatus',
  description: "A message's delivery status and its history (this service's own operation)",
});
contract.add(markMessageReadSchema, {
  id: 'MarkMessageRead',
  description: "Clears a message's isUnread (this service's own operation: Evo Voice has none); answers the message",
});
contract.add(deliveryStatusSchema, {
  id: 'DeliveryStatus',
  description: 'accepted -> queued -> sending -> sent -> delivered -> read; terminal failed, undelivered, expired, unknown',
});
contract.add(statusChangeSchema, {
  id: 'StatusChange',
  description:
    'One report or change, applied or not (late, duplicate and out-of-order reports are kept, not applied; rejected: a report for another provider message, never applied)',
});
contract.add(messageStatusResponseSchema, { id: 'MessageStatus', description: "A message's delivery" });
contract.add(
  messageStatusResponseSchema.shape.historyDropped,
  text('How many older reports that did not change the status were dropped from history (at most 50 entries kept); absent when none'),
);
contract.add(listMessagesRequestSchema, {
  id: 'ListMessages',
  description: "The account's messages, filtered, one page at a time (Page starts at 0)",
});
contract.add(listResponseSchema, { id: 'ListResponse', description: 'One page of a list: items, and how many there are' });
contract.add(messageListSchema, { id: 'MessageList', description: 'One page of messages, newest first' });
contract.add(messageListSchema.shape.next, text('Pass as `cursor` for the next page; absent on the last page'));

const edna = outgoingToDeviceSchema.shape;
const descriptor = edna.clientApplicationDescriptor._zod.def.innerType;
const attachment = edna.attachments._zod.def.innerType._zod.def.element;
contract.add(outgoingToDeviceSchema, {
  id: 'OutgoingToDevice',
  description: 'Send an outgoing message to a specific device, identified by deviceAddress in its channel',
  examples: [{ text: 'message', attachments: [], clientApplicationDescriptor: { channelType: 'WHATSAPP', deviceAddress: '89000000000' } }],
});
contract.add(edna.text, text('Message text'));
contract.add(edna.attachments, text('List of attachments for the message'));
contract.add(
  edna.clientApplicationDescriptor,
  text('Where to send: channel and device (this spelling or applicationDescriptor, not both)'),
);
contract.add(edna.applicationDescriptor, text('The same as clientApplicationDescriptor, under the name the request parameter table uses'));
contract.add(descriptor, { id: 'ApplicationDescriptor' });
contract.add(descriptor.shape.channelType, text('Channel type'));
contract.add(descriptor.shape.clientId, text('Authorized external client ID'));
contract.add(descriptor.shape.unauthorizedClientId, text('Unauthorized external client ID'));
contract.add(descriptor.shape.deviceAddress, text('Address of the device in the specified channelType to send the message to'));
contract.add(descriptor.shape.appMarker, text('Identifier of an application on the specified device to send the message to'));
contract.add(attachment, { id: 'Attachment', description: 'A file the device downloads from an https URL' });
contract.add(ednaReplySchema, {
  id: 'OutgoingToDeviceResponse',
  examples: [{ id: 1, threadId: 2, clientId: 1, clientExternalId: null, agentId: 1001 }],
});
contract.add(ednaReplySchema.shape.id, text('Unique identifier of the message in edna Chat Center'));
contract.add(ednaReplySchema.shape.threadId, text('Unique identifier of the thread of the sent message'));
contract.add(ednaReplySchema.shape.clientId, text('Unique identifier of the client to whom the message was sent'));
contract.add(ednaReplySchema.shape.clientExternalId, text('Unique external identifier of the client to whom the message was sent'));
contract.add(ednaReplySchema.shape.agentId, text('Unique identifier of the agent from whom the message was sent'));

contract.add(responseErrorSchema, { id: 'ResponseError' });
contract.add(responseStatusSchema, {
  id: 'ResponseStatus',
  description: "ServiceStack's error status: the first refused field's code, and every refused field",
});
contract.add(errorResponseSchema, {
  id: 'ErrorResponse',
  examples: [
    {
      responseStatus: {
        errorCode: 'NotEmpty',
        message: "'Body' must not be empty.",
        errors: [{ errorCode: 'NotEmpty', fieldName: 'Body', message: "'Body' must not be empty." }],
      },
    },
  ],
});
contract.add(ednaErrorSchema, {
  id: 'EdnaError',
  description: "edna's Spring-style error, with the refused fields",
  examples: [
    {
      timestamp: '2026-11-25T00:37:59.917Z',
      status: 400,
      error: 'Bad Request',
      message: "A message needs 'text' or at least one attachment.",
      path: '/api/v1/messages/outgoing-to-device',
      errors: [{ field: 'text', message: "A message needs 'text' or at least one attachment." }],
    },
  ],
});

contract.add(carrierInboundSchema, {
  id: 'CarrierInbound',
  description:
    "A reply the simulated carrier receives, to a number of the caller's account; `id` and `receivedAt` (ISO 8601) go together: posting the same pair again stores nothing new",
  examples: [{ from: '+15556667777', to: '+15550001111', text: 'Thanks!' }],
});
contract.add(carrierReceivedSchema, { id: 'CarrierReceived', description: 'The stored message and its session' });
contract.add(carrierDroppedSchema, {
  id: 'CarrierDropped',
  description: 'Why the message was dropped: no endpoint of the account owns the number',
});
contract.add(handoffSchema, {
  id: 'CarrierHandoff',
  description: 'What the carrier was given for one message, with every call made for it',
});
contract.add(carrierOutboxSchema, { id: 'CarrierOutbox', description: "The simulated carrier's hand-offs for the caller's account" });
