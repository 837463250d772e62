import { parseSendMessage, sendMessageSchema } from '../../domain/send-message.js';
import type { HttpRequest } from '../http.js';
import { bindDto } from './binding.js';
import { SEND_MESSAGE_ROOT } from './contracts.js';
import { readBody } from './respond.js';

const SEND_MESSAGE_PROPERTIES = Object.keys(sendMessageSchema.shape);

/** A SendMessage request bound from path, body (JSON, XML or form) and query, validated into a domain send. */
export const readSendMessage = (request: HttpRequest) =>
  parseSendMessage(bindDto(SEND_MESSAGE_PROPERTIES, request, readBody(request, SEND_MESSAGE_ROOT)));
