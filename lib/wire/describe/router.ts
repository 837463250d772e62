import { stringify } from 'yaml';
import type { HttpRequest, HttpResponse } from '../http.js';
import { SERVICESTACK_OPERATIONS } from '../operations.js';
import { RESPONSE_HEADERS } from '../status.js';
import { language, LANGUAGES, nativeTypesCode, pageLanguage } from './native/index.js';
import { metadataTypes } from './native/metadata.js';
import { allNativeTypes } from './native/model.js';
import { openApiDocument } from './openapi.js';
import { indexPage, notFoundPage, operationPage } from './pages.js';

/** The pages load nothing but what they hold (inline styles, the empty data: icon). */
const PAGE_POLICY =
  "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const respond = (statusCode: number, contentType: string, body: string, headers: Record<string, string> = {}): HttpResponse => ({
  statusCode,
  headers: { 'content-type': contentType, ...RESPONSE_HEADERS, ...headers },
  body,
});
const html = (statusCode: number, body: string) =>
  respond(statusCode, 'text/html; charset=utf-8', body, { 'content-security-policy': PAGE_POLICY });
const json = (body: unknown) => respond(200, 'application/json; charset=utf-8', JSON.stringify(body));

export interface Site {
  /** The public base URL, when configured (PUBLIC_BASE_URL); otherwise the request's own. */
  baseUrl: string | undefined;
  version: string;
  /** The stage serves the simulated carrier's /dev/carrier/* routes: the document describes them. */
  simulatedCarrier?: boolean;
}

/**
 * The request's base URL: scheme (API Gateway forwards it), host, and whatever prefix precedes the
 * route (a stage, `/prod`), so that generated references call back where they came from.
 */
function requestBase(request: HttpRequest, prefix: string, site: Site): string {
  if (site.baseUrl) return site.baseUrl.replace(/\/+$/, '');
  const scheme = request.headers['x-forwarded-proto']?.split(',')[0]?.trim() === 'https' ? 'https' : 'http';
  return `${scheme}://${requestHost(request)}${PREFIX.test(prefix) ? prefix : ''}`;
}

/** A stage or base path: plain path segments only. */
const PREFIX = /^(?:\/[A-Za-z0-9._~%-]+)*$/;
const HOST = /^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/** The Host header when it is a host name or address (and port); anything else is not echoed back. */
const requestHost = (request: HttpRequest): string => {
  const host = request.headers.host ?? '';
  return HOST.test(host) ? host : 'localhost';
};

type Route = (request: HttpRequest, match: RegExpExecArray, base: string, site: Site) => HttpResponse;

function types(request: HttpRequest, match: RegExpExecArray, base: string): HttpResponse {
  const id = match[2]!;
  if (id.toLowerCase() === 'metadata') return json(metadataTypes(allNativeTypes(), base));
  const lang = language(id);
  if (!lang)
    return respond(
      404,
      'text/plain; charset=utf-8',
      `Unknown language '${id}'. Supported: ${LANGUAGES.map((l) => l.id).join(', ')}, metadata`,
    );
  return respond(200, lang.contentType, nativeTypesCode(lang, request.query, { baseUrl: base, date: new Date() }));
}

function operation(request: HttpRequest, match: RegExpExecArray, base: string): HttpResponse {
  const name = request.query.op ?? '';
  const op = SERVICESTACK_OPERATIONS.find((o) => o.name.toLowerCase() === name.toLowerCase());
  if (!op) return html(404, notFoundPage(base, `No operation named '${name}'.`));
  const langId = request.query.lang;
  const lang = langId ? pageLanguage(langId) : undefined;
  if (langId && !lang) return html(404, notFoundPage(base, `Unknown language '${langId}'.`));
  return html(200, operationPage(base, requestHost(request), op, match[2]!.toLowerCase() as 'json' | 'xml', lang));
}

/** The document of the last base URL asked for: a container almost always serves one. */
let cachedDocument: { base: string; document: ReturnType<typeof openApiDocument> } | undefined;
function documentFor(base: string, site: Site) {
  if (cachedDocument?.base !== base)
    cachedDocument = { base, document: openApiDocument(base, site.version, { simulatedCarrier: site.simulatedCarrier }) };
  return cachedDocument.document;
}

const linksOf = (base: string) => ({
  Metadata: `${base}/types/metadata`,
  ...Object.fromEntries(LANGUAGES.map((l) => [l.linkName, `${base}/types/${l.id}`])),
});

/** Route patterns capture any prefix before the route (group 1): the stage of a custom or API Gateway URL. */
const ROUTES: [RegExp, Route][] = [
  [/^(.*)\/types()$/, (_request, _match, base) => json(linksOf(base))],
  [/^(.*)\/types\/([^/]+)$/, types],
  [/^(.*)\/(json|xml)\/metadata$/i, operation],
  [/^(.*)\/metadata()$/, (_request, _match, base) => html(200, indexPage(base))],
  [/^(.*)\/openapi\.json()$/, (_request, _match, base, site) => json(documentFor(base, site))],
  // No YAML anchors: the document repeats objects (parameters, contents), and many readers refuse aliases.
  [
    /^(.*)\/openapi\.yaml()$/,
    (_request, _match, base, site) =>
      respond(200, 'application/yaml; charset=utf-8', stringify(documentFor(base, site), { aliasDuplicateObjects: false })),
  ],
];

/** Every page and document that describes the API; none needs a key, none says anything about tenants. */
export function describeApi(request: HttpRequest, site: Site): HttpResponse {
  for (const [pattern, route] of ROUTES) {
    const match = pattern.exec(request.path);
    if (match) return route(request, match, requestBase(request, match[1]!, site), site);
  }
  return respond(404, 'text/plain; charset=utf-8', 'Not found');
}
