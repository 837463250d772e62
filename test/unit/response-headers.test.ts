import { describe, expect, it } from 'vitest';
import { invalidField } from '../../lib/domain/errors.js';
import { renderEdnaError } from '../../lib/wire/edna/errors.js';
import { okJson } from '../../lib/wire/edna/respond.js';
import type { HttpRequest } from '../../lib/wire/http.js';
import { MESSAGE_INFO } from '../../lib/wire/servicestack/contracts.js';
import { ok, renderError } from '../../lib/wire/servicestack/respond.js';

const request = (overrides: Partial<HttpRequest>): HttpRequest => ({
  method: 'POST',
  path: '/messages',
  headers: {},
  query: {},
  pathParameters: {},
  body: '',
  ...overrides,
});
const refused = invalidField('body', 'NotEmpty', "'body' must not be empty.");

describe('X-Content-Type-Options: nosniff on every response', () => {
  it.each([
    ['ServiceStack JSON', ok(request({}), { id: '1' }, MESSAGE_INFO)],
    ['ServiceStack XML', ok(request({ path: '/messages.xml' }), { id: '1' }, MESSAGE_INFO)],
    ['ServiceStack JSONP', ok(request({ query: { callback: 'cb' } }), { id: '1' }, MESSAGE_INFO)],
    ['ServiceStack JSON error', renderError(refused, request({}))],
    ['ServiceStack XML error', renderError(refused, request({ path: '/messages.xml' }))],
    ['ServiceStack JSONP error', renderError(refused, request({ query: { callback: 'cb' } }))],
    ['ServiceStack error of an unreadable event', renderError(new Error('boom'), undefined)],
    ['edna JSON', okJson({ id: 1 })],
    ['edna error', renderEdnaError(refused, request({}))],
    ['edna 500', renderEdnaError(new Error('boom'), undefined)],
  ])('%s', (_name, response) => {
    expect(response.headers['x-content-type-options']).toBe('nosniff');
  });
});
