import { authenticate } from '../lib/domain/auth.js';
import { notFound } from '../lib/domain/errors.js';
import { isDropped, receiveMessage } from '../lib/domain/inbound.js';
import { toMessageInfo } from '../lib/domain/message-info.js';
import { logger } from '../lib/log.js';
import { loadDeliveryConfig } from '../lib/providers/config.js';
import { inboundDeps } from '../lib/runtime/inbound.js';
import { credentialStore, openContainer } from '../lib/runtime/index.js';
import { ulidGenerator } from '../lib/ids.js';
import { bearerToken } from '../lib/wire/http.js';
import { inboundOfSimulated } from '../lib/wire/inbound.js';
import { servicestackHandler } from '../lib/wire/servicestack/handler.js';
import { RESPONSE_HEADERS } from '../lib/wire/status.js';

const container = openContainer();
const credentials = credentialStore(container);
const deps = inboundDeps(container);
const ids = ulidGenerator();
const { simulated } = loadDeliveryConfig();

/**
 * POST /dev/carrier/inbound: the simulated carrier receives `{from, to, text, id?}` for a number of the
 * caller's account, through the same path as aws-sms two-way messages. 200 with the stored message,
 * or 202 with why it was dropped (a number no endpoint of the account owns). 404 on a stage that does
 * not use the simulated carrier.
 */
export const handler = servicestackHandler(async (request) => {
  if (!simulated) throw notFound('Route');
  const principal = await authenticate(credentials, bearerToken(request), ['User']);
  const inbound = inboundOfSimulated(request.body, () => `IN${ids.next()}`, new Date());
  const result = await receiveMessage(deps, inbound, principal.accountId);
  if (isDropped(result)) logger.warn('Inbound message dropped', { reason: result.dropped, number: result.number });
  const [statusCode, body] = isDropped(result) ? [202, { dropped: result.dropped, number: result.number }] : [200, { message: toMessageInfo(result), sessionId: result.sessionId }];
  return { statusCode, headers: { 'content-type': 'application/json; charset=utf-8', ...RESPONSE_HEADERS }, body: JSON.stringify(body) };
});
