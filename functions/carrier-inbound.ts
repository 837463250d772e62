import { authenticate } from '../lib/domain/auth.js';
import { applyConsentKeyword } from '../lib/domain/consent/inbound-keywords.js';
import { notFound } from '../lib/domain/errors.js';
import { isDropped, receiveMessage } from '../lib/domain/inbound.js';
import { toMessageInfo } from '../lib/domain/message-info.js';
import { logger } from '../lib/log.js';
import { simulatedCarrier } from '../lib/runtime/carrier.js';
import { keywordDeps } from '../lib/runtime/consent.js';
import { openContainer } from '../lib/runtime/index.js';
import { bearerToken } from '../lib/wire/http.js';
import { servicestackHandler } from '../lib/wire/servicestack/handler.js';
import { RESPONSE_HEADERS } from '../lib/wire/status.js';

const container = openContainer();
const carrier = simulatedCarrier(container);
const keywords = keywordDeps(container);

/**
 * POST /dev/carrier/inbound: the simulated carrier receives `{from, to, text, id?}` for a number of the
 * caller's account, through the same path as aws-sms two-way messages. 200 with the stored message,
 * and what its consent keyword did (`consent`, `replyId`: docs/consent.md), or 202 with why it was dropped (a number no endpoint of the account owns). 404 on a stage that does
 * not use the simulated carrier.
 */
export const handler = servicestackHandler(async (request) => {
  if (!carrier.enabled) throw notFound('Route');
  const principal = await authenticate(carrier.credentials, bearerToken(request), ['User']);
  const result = await receiveMessage(carrier.inbound, carrier.inboundMessage(request.body, new Date()), principal.accountId);
  if (isDropped(result)) logger.warn('Inbound message dropped', { reason: result.dropped, number: result.number });
  const keyword = isDropped(result) ? undefined : await applyConsentKeyword(keywords, result);
  const [statusCode, body] = isDropped(result)
    ? [202, { dropped: result.dropped, number: result.number }]
    : [
        200,
        { message: toMessageInfo(result), sessionId: result.sessionId, consent: keyword!.consent, replyId: keyword!.reply?.id ?? null },
      ];
  return { statusCode, headers: { 'content-type': 'application/json; charset=utf-8', ...RESPONSE_HEADERS }, body: JSON.stringify(body) };
});
