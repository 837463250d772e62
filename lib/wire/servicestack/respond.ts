import type { HttpRequest, HttpResponse } from '../http.js';
import { errorHeaders, RESPONSE_HEADERS } from '../status.js';
import { toResponseStatus, type ResponseStatus } from './errors.js';
import { jsonpCallback, responseFormat } from './format.js';
import { writeDataContract, type ItemNames } from './xml-write.js';

/** How a DTO is named and namespaced in XML (the DataContract of the .NET service). */
export interface Contract {
  root: string;
  namespace: string;
  items?: ItemNames;
}

const SERVICESTACK_TYPES = 'http://schemas.servicestack.net/types';
const CONTENT_TYPES = {
  json: 'application/json; charset=utf-8',
  xml: 'application/xml; charset=utf-8',
  jsonp: 'application/javascript; charset=utf-8',
};

/** 200 with the DTO in the format the request asked for. */
export function ok(request: HttpRequest, dto: object, contract: Contract): HttpResponse {
  const callback = jsonpCallback(request);
  if (responseFormat(request) === 'xml')
    return xmlResponse(200, {}, writeDataContract(contract.root, contract.namespace, toDataContract(dto), contract.items));
  return jsonResponse(200, {}, dto, callback);
}

/** Any failure as ServiceStack's ResponseStatus, in the request's format (JSON when the request could not be read). */
export function renderError(error: unknown, request: HttpRequest | undefined): HttpResponse {
  const { status, responseStatus } = toResponseStatus(error);
  return errorResponse(status, errorHeaders(status, error), responseStatus, request);
}

/**
 * 405 with `Allow`, as ServiceStack answers a verb its service does not implement
 * (`NotImplementedException`): refused before anything runs, so it never sends.
 */
export function methodNotAllowed(request: HttpRequest, operation: string, allowed: readonly string[]): HttpResponse {
  return errorResponse(
    405,
    { allow: allowed.join(', ') },
    {
      errorCode: 'NotImplementedException',
      message: `${operation} does not answer ${request.method}; use ${allowed.join(', ')}`,
    },
    request,
  );
}

function errorResponse(status: number, headers: Headers, responseStatus: ResponseStatus, request: HttpRequest | undefined): HttpResponse {
  if (request && responseFormat(request) === 'xml') {
    return xmlResponse(
      status,
      headers,
      writeDataContract(
        'ErrorResponse',
        SERVICESTACK_TYPES,
        { ResponseStatus: xmlResponseStatus(responseStatus) },
        { Errors: 'ResponseError' },
      ),
    );
  }
  return jsonResponse(status, headers, { responseStatus }, request && safeCallback(request));
}

type Headers = Record<string, string>;

function jsonResponse(status: number, headers: Headers, body: object, callback: string | undefined): HttpResponse {
  const json = JSON.stringify(body);
  if (callback)
    return {
      statusCode: status,
      headers: { 'content-type': CONTENT_TYPES.jsonp, ...RESPONSE_HEADERS, ...headers },
      body: `${callback}(${json})`,
    };
  return { statusCode: status, headers: { 'content-type': CONTENT_TYPES.json, ...RESPONSE_HEADERS, ...headers }, body: json };
}

const xmlResponse = (status: number, headers: Headers, xml: string): HttpResponse => ({
  statusCode: status,
  headers: { 'content-type': CONTENT_TYPES.xml, ...RESPONSE_HEADERS, ...headers },
  body: `<?xml version="1.0" encoding="utf-8"?>${xml}`,
});

function safeCallback(request: HttpRequest): string | undefined {
  try {
    return jsonpCallback(request);
  } catch {
    return undefined;
  }
}

/** ResponseStatus members in their DataMember order: ErrorCode, Message, (StackTrace), Errors. */
const xmlResponseStatus = ({ errorCode, message, errors }: ResponseStatus) => ({
  ErrorCode: errorCode,
  Message: message,
  ...(errors ? { Errors: errors.map((e) => ({ ErrorCode: e.errorCode, FieldName: e.fieldName, Message: e.message })) } : {}),
});

/** DataContract XML: PascalCase members in alphabetical order (no explicit Order on these DTOs). */
function toDataContract(value: unknown): any {
  if (Array.isArray(value)) return value.map(toDataContract);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .map(([key, child]) => [key.charAt(0).toUpperCase() + key.slice(1), toDataContract(child)] as const)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  );
}
