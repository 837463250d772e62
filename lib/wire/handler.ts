import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { isDomainError } from '../domain/errors.js';
import { loggedHandler, logger } from '../log.js';
import { count } from '../metrics.js';
import { fromApiGateway, type HttpRequest, type HttpResponse } from './http.js';

/** How one API family renders a failure; `request` is undefined when the event itself could not be read. */
export type ErrorRenderer = (error: unknown, request: HttpRequest | undefined) => HttpResponse;

/**
 * Wraps a route: normalises the API Gateway event, runs `handle`, and renders every failure with
 * the family's renderer, so no error ever escapes as a Lambda error (which serverless-offline would
 * even answer with 200 and a stack trace). Unexpected errors are logged here, never returned.
 */
export function httpHandler(handle: (request: HttpRequest) => Promise<HttpResponse>, renderError: ErrorRenderer) {
  return loggedHandler<APIGatewayProxyEventV2, HttpResponse>().handler(async (event) => {
    let request: HttpRequest | undefined;
    try {
      request = fromApiGateway(event);
      const response = await handle(request);
      count('Accepted');
      return response;
    } catch (error) {
      if (!isDomainError(error)) logger.error('Unexpected error', { error: error as Error });
      else if (error.code === 'unavailable') logger.warn('Store unavailable', { error: (error.cause ?? error) as Error });
      count('Refused', { code: isDomainError(error) ? error.code : 'internal' });
      return renderError(error, request);
    }
  });
}
