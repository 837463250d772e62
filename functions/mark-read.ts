import { authenticate } from '../lib/domain/auth.js';
import { markMessageRead } from '../lib/domain/mark-read.js';
import { toMessageInfo } from '../lib/domain/message-info.js';
import { openContainer, sessionReadDeps } from '../lib/runtime/index.js';
import { bearerToken } from '../lib/wire/http.js';
import { MESSAGE_INFO } from '../lib/wire/servicestack/contracts.js';
import { servicestackHandler } from '../lib/wire/servicestack/handler.js';
import { ok } from '../lib/wire/servicestack/respond.js';

const deps = sessionReadDeps(openContainer());

/** POST /sessions/{sessionId}/messages/{messageId}/read: the message with `isUnread` cleared (MarkMessageRead). */
export const handler = servicestackHandler(async (request) => {
  const principal = await authenticate(deps.credentials, bearerToken(request), ['User']);
  const { sessionId, messageId } = request.pathParameters;
  return ok(request, toMessageInfo(await markMessageRead(deps, principal, { sessionId, messageId })), MESSAGE_INFO);
});
