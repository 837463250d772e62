import { httpHandler } from '../handler.js';
import type { HttpRequest, HttpResponse } from '../http.js';
import { jsonpCallback } from './format.js';
import { renderError } from './respond.js';

/**
 * A route of the ServiceStack family: failures as ResponseStatus in the request's format. A bad
 * `?callback=` is refused before anything else runs, so a refused request never sends.
 */
export const servicestackHandler = (handle: (request: HttpRequest) => Promise<HttpResponse>) =>
  httpHandler(async (request) => {
    jsonpCallback(request);
    return handle(request);
  }, renderError);
