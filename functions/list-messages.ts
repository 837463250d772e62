import { authenticate } from '../lib/domain/auth.js';
import { listMessages } from '../lib/domain/list-messages.js';
import { createRuntime } from '../lib/runtime.js';
import { bearerToken } from '../lib/wire/http.js';
import { httpHandler } from '../lib/wire/handler.js';
import { ok, renderError } from '../lib/wire/servicestack/respond.js';

const runtime = createRuntime();

/** GET /sessions/{sessionId}/messages: the session's messages, newest first, paginated. */
export const handler = httpHandler(async (request) => {
  const principal = await authenticate(runtime.credentials, bearerToken(request), ['User']);
  return ok(await listMessages(runtime, principal, { ...request.query, sessionId: request.pathParameters.sessionId }));
}, renderError);
