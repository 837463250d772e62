import { authenticate } from '../lib/domain/auth.js';
import { toMessageInfo } from '../lib/domain/message-info.js';
import { sendMessage } from '../lib/domain/send.js';
import { createRuntime } from '../lib/runtime.js';
import { bearerToken, idempotencyKey } from '../lib/wire/http.js';
import { MESSAGE_INFO } from '../lib/wire/servicestack/contracts.js';
import { servicestackHandler } from '../lib/wire/servicestack/handler.js';
import { ok } from '../lib/wire/servicestack/respond.js';
import { readSendMessage } from '../lib/wire/servicestack/send-message.js';

const runtime = createRuntime();

/** Evo Voice SendMessage: POST /sessions/{sessionId}/messages (and, via send-to-endpoint, ANY /messages). */
export const handler = servicestackHandler(async (request) => {
  const principal = await authenticate(runtime.credentials, bearerToken(request), ['User']);
  const { target, text } = readSendMessage(request);
  const message = await sendMessage(runtime, principal, target, text, idempotencyKey(request));
  return ok(request, toMessageInfo(message), MESSAGE_INFO);
});
