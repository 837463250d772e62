import { authenticate } from '../lib/domain/auth.js';
import { listMessages } from '../lib/domain/list-messages.js';
import { openContainer, sessionReadDeps } from '../lib/runtime/index.js';
import { bearerToken } from '../lib/wire/http.js';
import { MESSAGE_LIST } from '../lib/wire/servicestack/contracts.js';
import { servicestackHandler } from '../lib/wire/servicestack/handler.js';
import { ok } from '../lib/wire/servicestack/respond.js';

const deps = sessionReadDeps(openContainer());

/** GET /sessions/{sessionId}/messages: the session's messages, newest first, paginated. */
export const handler = servicestackHandler(async (request) => {
  const principal = await authenticate(deps.credentials, bearerToken(request), ['User']);
  const list = await listMessages(deps, principal, { ...request.query, sessionId: request.pathParameters.sessionId });
  return ok(request, list, MESSAGE_LIST);
});
