import { isDomainError } from '../../domain/errors.js';
import type { HttpRequest, HttpResponse } from '../http.js';
import { HTTP_STATUS, RESPONSE_HEADERS, errorHeaders } from '../status.js';

/** edna Chat Center is a Spring service: its errors have Spring's shape, with the refused fields. */
export interface EdnaErrorBody {
  timestamp: string;
  status: number;
  error: string;
  message: string;
  path: string;
  errors?: { field: string; message: string }[];
}

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** Paths as Spring names them: "attachments.0.url" -> "attachments[0].url". */
export const springField = (field: string): string => field.replace(/\.(\d+)(?=\.|$)/g, '[$1]');

export function renderEdnaError(error: unknown, request: HttpRequest | undefined): HttpResponse {
  const status = isDomainError(error) ? HTTP_STATUS[error.code] : 500;
  const body: EdnaErrorBody = {
    timestamp: new Date().toISOString(),
    status,
    error: REASONS[status] ?? 'Error',
    message: isDomainError(error) ? (error.fields[0]?.message ?? error.message) : 'An unexpected error occurred',
    path: request?.path ?? '',
  };
  if (isDomainError(error) && error.fields.length) {
    body.errors = error.fields.map(({ field, message }) => ({
      field: springField(field),
      message: message.replace(`'${field}'`, `'${springField(field)}'`),
    }));
  }
  return ednaJson(status, body, errorHeaders(status, error));
}

/** Every edna answer, success or error: JSON with the common headers. */
export const ednaJson = (status: number, body: object, headers: Record<string, string> = {}): HttpResponse => ({
  statusCode: status,
  headers: { 'content-type': 'application/json', ...RESPONSE_HEADERS, ...headers },
  body: JSON.stringify(body),
});
