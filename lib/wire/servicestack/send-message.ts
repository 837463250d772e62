import { authenticate } from '../../domain/auth.js';
import type { CredentialStore } from '../../domain/ports.js';
import { toMessageInfo } from '../../domain/message-info.js';
import { sendMessage, type SendDeps } from '../../domain/send.js';
import { parseSendMessage, sendMessageSchema } from '../../domain/send-message.js';
import { bearerToken, idempotencyKey, type HttpRequest } from '../http.js';
import type { Verb } from '../operations.js';
import { bindDto } from './binding.js';
import { MESSAGE_INFO, SEND_MESSAGE } from './contracts.js';
import { servicestackHandler } from './handler.js';
import { readBody } from './request.js';
import { methodNotAllowed, ok } from './respond.js';

const SEND_MESSAGE_PROPERTIES = Object.keys(sendMessageSchema.shape);

/** A SendMessage request bound from path, body (JSON, XML or form) and query, validated into a domain send. */
export const readSendMessage = (request: HttpRequest) =>
  parseSendMessage(bindDto(SEND_MESSAGE_PROPERTIES, request, readBody(request, SEND_MESSAGE)));

/** The verbs of SendMessage's any-verb routes (operations.ts `VERBS`, not imported: it would bring the whole operation table into the bundle). */
const SEND_VERBS: readonly Verb[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

/**
 * The Evo Voice SendMessage operation on every route that serves it: authenticate, parse, send,
 * answer. Its any-verb routes (`/api/SendMessage`...) reach it with HEAD too, which must be safe
 * (RFC 9110): a HEAD is refused before anything runs.
 */
export const sendMessageHandler = (deps: SendDeps & { credentials: CredentialStore }) =>
  servicestackHandler(async (request) => {
    if (request.method === 'HEAD') return methodNotAllowed(request, 'SendMessage', SEND_VERBS);
    const principal = await authenticate(deps.credentials, bearerToken(request), ['User']);
    const { target, text } = readSendMessage(request);
    const message = await sendMessage(deps, principal, target, text, idempotencyKey(request));
    return ok(request, toMessageInfo(message), MESSAGE_INFO);
  });
