import { authenticate } from '../lib/domain/auth.js';
import { notFound } from '../lib/domain/errors.js';
import { loadDeliveryConfig } from '../lib/providers/config.js';
import { credentialStore, openContainer } from '../lib/runtime/index.js';
import { carrierOutbox } from '../lib/store/carrier.js';
import { bearerToken } from '../lib/wire/http.js';
import { servicestackHandler } from '../lib/wire/servicestack/handler.js';
import { RESPONSE_HEADERS } from '../lib/wire/status.js';

const container = openContainer();
const credentials = credentialStore(container);
const { simulated } = loadDeliveryConfig();

/**
 * GET /dev/carrier/outbox: what the simulated carrier was given for the caller's account, with the
 * calls made for each message. A stage that does not use the simulated carrier answers 404, as if
 * the route did not exist.
 */
export const handler = servicestackHandler(async (request) => {
  if (!simulated) throw notFound('Route');
  const principal = await authenticate(credentials, bearerToken(request), ['User']);
  const outbox = (await carrierOutbox(container.table)).filter((handoff) => handoff.accountId === principal.accountId);
  return { statusCode: 200, headers: { 'content-type': 'application/json; charset=utf-8', ...RESPONSE_HEADERS }, body: JSON.stringify({ outbox }) };
});
