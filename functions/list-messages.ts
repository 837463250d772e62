import { authenticate } from '../lib/domain/auth.js';
import { listMessages } from '../lib/domain/list-messages.js';
import { createRuntime } from '../lib/runtime.js';
import { bearerToken } from '../lib/wire/http.js';
import { MESSAGE_LIST } from '../lib/wire/servicestack/contracts.js';
import { servicestackHandler } from '../lib/wire/servicestack/handler.js';
import { ok } from '../lib/wire/servicestack/respond.js';

const runtime = createRuntime();

/** GET /sessions/{sessionId}/messages: the session's messages, newest first, paginated. */
export const handler = servicestackHandler(async (request) => {
  const principal = await authenticate(runtime.credentials, bearerToken(request), ['User']);
  const list = await listMessages(runtime, principal, { ...request.query, sessionId: request.pathParameters.sessionId });
  return ok(request, list, MESSAGE_LIST);
});
