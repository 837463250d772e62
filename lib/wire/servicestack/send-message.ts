import { parseSendMessage, sendMessageSchema } from '../../domain/send-message.js';
import type { HttpRequest } from '../http.js';
import { bindDto } from './binding.js';
import { readBody } from './respond.js';

const SEND_MESSAGE_PROPERTIES = Object.keys(sendMessageSchema.shape);

/** A SendMessage request bound from path, body and query, validated into a domain send. */
export const readSendMessage = (request: HttpRequest) =>
  parseSendMessage(bindDto(SEND_MESSAGE_PROPERTIES, request, readBody(request)));
