import { authenticate } from '../lib/domain/auth.js';
import { notFound } from '../lib/domain/errors.js';
import { simulatedCarrier } from '../lib/runtime/carrier.js';
import { openContainer } from '../lib/runtime/index.js';
import { bearerToken } from '../lib/wire/http.js';
import { servicestackHandler } from '../lib/wire/servicestack/handler.js';
import { RESPONSE_HEADERS } from '../lib/wire/status.js';

const carrier = simulatedCarrier(openContainer());

/**
 * GET /dev/carrier/outbox: what the simulated carrier was given for the caller's account, with the
 * calls made for each message. A stage that does not use the simulated carrier answers 404, as if
 * the route did not exist.
 */
export const handler = servicestackHandler(async (request) => {
  if (!carrier.enabled) throw notFound('Route');
  const principal = await authenticate(carrier.credentials, bearerToken(request), ['User']);
  const outbox = (await carrier.outbox()).filter((handoff) => handoff.accountId === principal.accountId);
  return {
    statusCode: 200,
    headers: { 'content-type': 'application/json; charset=utf-8', ...RESPONSE_HEADERS },
    body: JSON.stringify({ outbox }),
  };
});
