import { DomainError } from '../../domain/errors.js';
import type { HttpRequest, HttpResponse } from '../http.js';
import { mediaType, parseJson } from '../http.js';
import { retryHeaders } from '../status.js';
import { toResponseStatus } from './errors.js';

const JSON_TYPE = 'application/json; charset=utf-8';

/** Reads the request's body as data; only JSON (or no body) is understood. */
export function readBody(request: HttpRequest): unknown {
  if (request.body.trim() === '') return {};
  const type = mediaType(request);
  if (type === '' || type === 'application/json' || type.endsWith('+json')) return parseJson(request.body);
  throw new DomainError('unsupported-media-type', `Content type '${type}' is not supported; send application/json`);
}

export function ok(dto: unknown): HttpResponse {
  return { statusCode: 200, headers: { 'content-type': JSON_TYPE }, body: JSON.stringify(dto) };
}

export function renderError(error: unknown): HttpResponse {
  const { status, responseStatus } = toResponseStatus(error);
  return { statusCode: status, headers: { 'content-type': JSON_TYPE, ...retryHeaders(status) }, body: JSON.stringify({ responseStatus }) };
}
