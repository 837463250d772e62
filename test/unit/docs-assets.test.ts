import { describe, expect, it } from 'vitest';
import { serveDocs } from '../../lib/wire/describe/docs.js';
import type { HttpRequest } from '../../lib/wire/http.js';

const get = (path: string) => serveDocs({ method: 'GET', path, headers: {}, query: {}, body: '' } as unknown as HttpRequest);

describe('/docs/{asset}', () => {
  it('serves its three assets and nothing an object inherits', () => {
    expect(get('/docs/init.js')).toMatchObject({ statusCode: 200, headers: { 'content-type': 'text/javascript; charset=utf-8' } });
    expect(get('/prod/docs/swagger-ui.css')).toMatchObject({ statusCode: 200, headers: { 'content-type': 'text/css; charset=utf-8' } });
    for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf'])
      expect(get(`/docs/${name}`)).toMatchObject({ statusCode: 404, body: 'Not found' });
  });
});
