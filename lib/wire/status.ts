import { isDomainError, type DomainErrorCode } from '../domain/errors.js';

/** The HTTP status of each domain error, the same for every API family. */
export const HTTP_STATUS: Record<DomainErrorCode, number> = {
  invalid: 400,
  unauthorized: 401,
  forbidden: 403,
  'not-found': 404,
  'payload-too-large': 413,
  'unsupported-media-type': 415,
  'idempotency-key-reused': 422,
  // Like AWS's ConflictException (DESTINATION_PHONE_NUMBER_OPTED_OUT): the request is valid and the key
  // allowed, but the recipient's state refuses it until they opt back in (docs/consent.md).
  'recipient-opted-out': 409,
  'too-many-requests': 429,
  unavailable: 503,
};

/** Seconds a client should wait before retrying a 503. */
export const RETRY_AFTER_SECONDS = 1;

/**
 * Headers an error status calls for: when to retry a 503 or a 429 (the error's own time: a rate
 * limit's next token, a quota's reset), how to authenticate after a 401.
 */
export function errorHeaders(status: number, error?: unknown): Record<string, string> {
  if (status === 503 || status === 429) {
    const seconds = isDomainError(error) ? error.retryAfterSeconds : undefined;
    return { 'retry-after': String(seconds ?? RETRY_AFTER_SECONDS) };
  }
  if (status === 401) return { 'www-authenticate': 'Bearer' };
  return {};
}

/** Headers on every response: no browser may sniff a body into another type (a JSON or JSONP answer into HTML or script). */
export const RESPONSE_HEADERS: Readonly<Record<string, string>> = { 'x-content-type-options': 'nosniff' };
