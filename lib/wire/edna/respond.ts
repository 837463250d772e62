import { DomainError } from '../../domain/errors.js';
import { httpHandler } from '../handler.js';
import { mediaType, parseJson, type HttpRequest, type HttpResponse } from '../http.js';
import { ednaJson, renderEdnaError } from './errors.js';

/** A route of the edna family: JSON in, JSON out, Spring-shaped errors. */
export const ednaHandler = (handle: (request: HttpRequest) => Promise<HttpResponse>) => httpHandler(handle, renderEdnaError);

/** edna's API reads JSON only. */
export function readJson(request: HttpRequest): unknown {
  const type = mediaType(request);
  if (type !== '' && type !== 'application/json' && !type.endsWith('+json')) {
    throw new DomainError('unsupported-media-type', `Content type '${type}' is not supported; send application/json`);
  }
  return parseJson(request.body);
}

export const okJson = (body: object): HttpResponse => ednaJson(200, body);
