import { describe, expect, it } from 'vitest';
import { DomainError, invalid } from '../../lib/domain/errors.js';
import { bindDto } from '../../lib/wire/servicestack/binding.js';
import { toResponseStatus } from '../../lib/wire/servicestack/errors.js';
import type { HttpRequest } from '../../lib/wire/http.js';

const request = (overrides: Partial<HttpRequest>): HttpRequest => ({
  method: 'POST',
  path: '/',
  headers: {},
  query: {},
  pathParameters: {},
  body: '',
  ...overrides,
});

describe('toResponseStatus', () => {
  it('names DTO fields in PascalCase and takes the first field code as the error code', () => {
    const error = invalid([
      { field: 'toAddress', code: 'InvalidPhoneNumber', message: "'toAddress' is bad." },
      { field: 'body', code: 'NotEmpty', message: "'body' must not be empty." },
    ]);
    expect(toResponseStatus(error)).toEqual({
      status: 400,
      responseStatus: {
        errorCode: 'InvalidPhoneNumber',
        message: "'ToAddress' is bad.",
        errors: [
          { errorCode: 'InvalidPhoneNumber', fieldName: 'ToAddress', message: "'ToAddress' is bad." },
          { errorCode: 'NotEmpty', fieldName: 'Body', message: "'Body' must not be empty." },
        ],
      },
    });
  });

  it('hides everything about unexpected errors behind a generic 500', () => {
    const result = toResponseStatus(new Error('secret table name and stack'));
    expect(result).toEqual({ status: 500, responseStatus: { errorCode: 'InternalServerError', message: 'An unexpected error occurred' } });
  });

  it('maps an outage to 503 ServiceUnavailable', () => {
    expect(toResponseStatus(new DomainError('unavailable', 'down')).status).toBe(503);
  });
});

describe('bindDto', () => {
  it('matches names case-insensitively with path over body over query, ignoring unknown names', () => {
    const dto = bindDto(
      ['sessionId', 'body'],
      request({ query: { Body: 'from query', extra: '1' }, pathParameters: { sessionId: 'from path' } }),
      { SESSIONID: 'from body', BODY: 'from body' },
    );
    expect(dto).toEqual({ sessionId: 'from path', body: 'from body' });
  });
});
