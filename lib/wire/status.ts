import type { DomainErrorCode } from '../domain/errors.js';

/** The HTTP status of each domain error, the same for every API family. */
export const HTTP_STATUS: Record<DomainErrorCode, number> = {
  invalid: 400,
  unauthorized: 401,
  forbidden: 403,
  'not-found': 404,
  conflict: 409,
  'payload-too-large': 413,
  'unsupported-media-type': 415,
  'idempotency-key-reused': 422,
  unavailable: 503,
};

/** Seconds a client should wait before retrying a 503. */
export const RETRY_AFTER_SECONDS = 1;

export const retryHeaders = (status: number): Record<string, string> =>
  status === 503 ? { 'retry-after': String(RETRY_AFTER_SECONDS) } : {};
