import { authenticate } from '../../domain/auth.js';
import type { CredentialStore } from '../../domain/ports.js';
import { toMessageInfo } from '../../domain/message-info.js';
import { sendMessage, type SendDeps } from '../../domain/send.js';
import { parseSendMessage, sendMessageSchema } from '../../domain/send-message.js';
import { bearerToken, idempotencyKey, type HttpRequest } from '../http.js';
import { bindDto } from './binding.js';
import { MESSAGE_INFO, SEND_MESSAGE } from './contracts.js';
import { servicestackHandler } from './handler.js';
import { readBody } from './request.js';
import { ok } from './respond.js';

const SEND_MESSAGE_PROPERTIES = Object.keys(sendMessageSchema.shape);

/** A SendMessage request bound from path, body (JSON, XML or form) and query, validated into a domain send. */
export const readSendMessage = (request: HttpRequest) =>
  parseSendMessage(bindDto(SEND_MESSAGE_PROPERTIES, request, readBody(request, SEND_MESSAGE)));

/** The Evo Voice SendMessage operation on every route that serves it: authenticate, parse, send, answer. */
export const sendMessageHandler = (deps: SendDeps & { credentials: CredentialStore }) =>
  servicestackHandler(async (request) => {
    const principal = await authenticate(deps.credentials, bearerToken(request), ['User']);
    const { target, text } = readSendMessage(request);
    const message = await sendMessage(deps, principal, target, text, idempotencyKey(request));
    return ok(request, toMessageInfo(message), MESSAGE_INFO);
  });
