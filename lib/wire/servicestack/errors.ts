import { isDomainError, type DomainError, type FieldError } from '../../domain/errors.js';
import { HTTP_STATUS } from '../status.js';

/** ServiceStack's ResponseStatus (camelCase JSON; the XML writer uses the same values). */
export interface ResponseStatus {
  errorCode: string;
  message: string;
  errors?: ResponseError[];
}

export interface ResponseError {
  errorCode: string;
  fieldName: string;
  message: string;
}

const ERROR_CODES: Record<DomainError['code'], string> = {
  invalid: 'ValidationException',
  unauthorized: 'Unauthorized',
  forbidden: 'Forbidden',
  'not-found': 'NotFound',
  'payload-too-large': 'PayloadTooLarge',
  'unsupported-media-type': 'UnsupportedMediaType',
  'idempotency-key-reused': 'IdempotencyKeyReused',
  'recipient-opted-out': 'RecipientOptedOut',
  'too-many-requests': 'TooManyRequests',
  unavailable: 'ServiceUnavailable',
};

/**
 * DTO property names are PascalCase in ServiceStack: "toAddress" -> "ToAddress", "a.b" -> "A.B".
 * Header names ("Idempotency-Key") are already in their wire form.
 */
export const dtoFieldName = (field: string): string =>
  field.includes('-')
    ? field
    : field
        .split('.')
        .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
        .join('.');

const responseError = ({ field, code, message }: FieldError): ResponseError => ({
  errorCode: code,
  fieldName: dtoFieldName(field),
  message: message.replace(`'${field}'`, `'${dtoFieldName(field)}'`),
});

/** The status and ResponseStatus of any failure; unexpected errors become a generic 500 that says nothing inside. */
export function toResponseStatus(error: unknown): { status: number; responseStatus: ResponseStatus } {
  if (!isDomainError(error)) {
    return { status: 500, responseStatus: { errorCode: 'InternalServerError', message: 'An unexpected error occurred' } };
  }
  const errors = error.fields.map(responseError);
  // Like ServiceStack's validation feature: the first field's code is the response's code.
  const errorCode = errors[0]?.errorCode ?? error.reason ?? ERROR_CODES[error.code];
  return {
    status: HTTP_STATUS[error.code],
    responseStatus: { errorCode, message: errors[0]?.message ?? error.message, ...(errors.length ? { errors } : {}) },
  };
}
