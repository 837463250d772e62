import { authenticate, EDNA_ROLES } from '../lib/domain/auth.js';
import { parseOutgoingToDevice } from '../lib/domain/edna/outgoing-to-device.js';
import { sendToDevice } from '../lib/domain/edna/send-to-device.js';
import { credentialStore, ednaDeps, openContainer } from '../lib/runtime/index.js';
import { okJson, ednaHandler, readJson } from '../lib/wire/edna/respond.js';
import { bearerToken, idempotencyKey } from '../lib/wire/http.js';

const container = openContainer();
const deps = { credentials: credentialStore(container), ...ednaDeps(container) };

/** edna Chat Center: POST /api/v1/messages/outgoing-to-device. */
export const handler = ednaHandler(async (request) => {
  const principal = await authenticate(deps.credentials, bearerToken(request), EDNA_ROLES);
  const send = parseOutgoingToDevice(readJson(request));
  return okJson(await sendToDevice(deps, principal, send, idempotencyKey(request)));
});
