import { invalidField } from '../../domain/errors.js';
import { mediaType, type HttpRequest } from '../http.js';

export type Format = 'json' | 'xml';

/** The media type each format is declared with (the describe pages and OpenAPI). */
export const MEDIA: Record<Format, string> = { json: 'application/json', xml: 'application/xml' };

const XML_TYPES = new Set(['application/xml', 'text/xml']);
const JSON_TYPES = new Set(['application/json', 'text/json']);

/**
 * The response format, in ServiceStack's order: the route's own format (a `.json`/`.xml` suffix, or
 * `/json/reply/`, `/xml/reply/`), then `?format=`, then the Accept header, then the request's
 * content type, else JSON.
 */
export function responseFormat(request: HttpRequest): Format {
  return (
    routeFormat(request.path) ?? queryFormat(request) ?? acceptFormat(request.headers.accept) ?? typeFormat(mediaType(request)) ?? 'json'
  );
}

/** The format a route names itself (`.json`/`.xml`, `/json/reply/`, `/xml/reply/`), if it does. */
export function routeFormat(path: string): Format | undefined {
  if (/\.json$|^\/json\/reply\//i.test(path)) return 'json';
  if (/\.xml$|^\/xml\/reply\//i.test(path)) return 'xml';
  return undefined;
}

function queryFormat(request: HttpRequest): Format | undefined {
  const format = request.query.format?.toLowerCase();
  return format === 'json' || format === 'xml' ? format : undefined;
}

/** The first acceptable type we can produce, by quality then order; `*\/*` defers to what follows. */
function acceptFormat(accept: string | undefined): Format | undefined {
  if (!accept) return undefined;
  const ranges = accept
    .split(',')
    .map((part, order) => {
      const [type = '', ...params] = part.split(';').map((p) => p.trim().toLowerCase());
      const q = Number(params.find((p) => p.startsWith('q='))?.slice(2) ?? 1);
      return { type, q: Number.isFinite(q) ? q : 0, order };
    })
    .filter((range) => range.q > 0)
    .sort((a, b) => b.q - a.q || a.order - b.order);
  for (const { type } of ranges) {
    const format = typeFormat(type);
    if (format) return format;
  }
  return undefined;
}

function typeFormat(type: string): Format | undefined {
  if (JSON_TYPES.has(type) || type.endsWith('+json')) return 'json';
  if (XML_TYPES.has(type) || type.endsWith('+xml')) return 'xml';
  return undefined;
}

export const isXmlType = (type: string): boolean => typeFormat(type) === 'xml';
export const isJsonType = (type: string): boolean => typeFormat(type) === 'json';

const CALLBACK = /^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*$/;

/** `?callback=name` asks for JSONP; the name must be a plain JavaScript identifier path. */
export function jsonpCallback(request: HttpRequest): string | undefined {
  const callback = request.query.callback;
  if (callback === undefined) return undefined;
  if (callback.length > 128 || !CALLBACK.test(callback)) {
    throw invalidField('callback', 'InvalidFormat', "'callback' must be a JavaScript identifier such as myCallback or app.onMessage.");
  }
  return callback;
}
