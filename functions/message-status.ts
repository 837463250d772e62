import { authenticate } from '../lib/domain/auth.js';
import { messageStatus } from '../lib/domain/delivery/message-status.js';
import { deliveryReads, openContainer, sessionReadDeps } from '../lib/runtime/index.js';
import { bearerToken } from '../lib/wire/http.js';
import { MESSAGE_STATUS } from '../lib/wire/servicestack/contracts.js';
import { servicestackHandler } from '../lib/wire/servicestack/handler.js';
import { ok } from '../lib/wire/servicestack/respond.js';

const container = openContainer();
const deps = { ...sessionReadDeps(container), ...deliveryReads(container) };

/** GET /sessions/{sessionId}/messages/{messageId}/status: the message's delivery and its history. */
export const handler = servicestackHandler(async (request) => {
  const principal = await authenticate(deps.credentials, bearerToken(request), ['User']);
  const { sessionId, messageId } = request.pathParameters;
  return ok(request, await messageStatus(deps, principal, { sessionId, messageId }), MESSAGE_STATUS);
});
