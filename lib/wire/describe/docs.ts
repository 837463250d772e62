import bundle from 'swagger-ui-dist/swagger-ui-bundle.js' with { type: 'text' };
import css from 'swagger-ui-dist/swagger-ui.css' with { type: 'text' };
import type { HttpRequest, HttpResponse } from '../http.js';
import { RESPONSE_HEADERS } from '../status.js';
import { page } from './html.js';

/** Swagger UI, configured to load this service's document and nothing else (no validator badge, no CDN). */
const INIT = `window.ui = SwaggerUIBundle({
  url: 'openapi.json',
  dom_id: '#swagger-ui',
  deepLinking: true,
  validatorUrl: null,
  presets: [SwaggerUIBundle.presets.apis],
  plugins: [SwaggerUIBundle.plugins.DownloadUrl],
  layout: 'BaseLayout',
});
`;

/** Relative URLs: `/docs` and `/prod/docs` both find their assets and `openapi.json` beside them. */
const HTML = page(
  'messaging-api API reference',
  `<div id="swagger-ui" aria-live="polite"><p>Loading the API reference from <a href="openapi.json">openapi.json</a>.</p></div>
<link rel="stylesheet" href="docs/swagger-ui.css">
<script src="docs/swagger-ui-bundle.js"></script>
<script src="docs/init.js"></script>`,
).replace('max-width:64rem', 'max-width:80rem');

/** A Map, not an object: `constructor`, `__proto__` or `toString` are not assets. */
const ASSETS = new Map<string, { type: string; body: string }>([
  ['swagger-ui-bundle.js', { type: 'text/javascript; charset=utf-8', body: bundle }],
  // The source map it names is not shipped: the browser would ask for it in vain.
  ['swagger-ui.css', { type: 'text/css; charset=utf-8', body: css.replace(/\/\*# sourceMappingURL=.*?\*\/\s*$/, '') }],
  ['init.js', { type: 'text/javascript; charset=utf-8', body: INIT }],
]);

/** Everything from this origin; Swagger UI sets inline styles, hence 'unsafe-inline' for styles only. */
const POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** GET /docs and /docs/{asset}. */
export function serveDocs(request: HttpRequest): HttpResponse {
  const name = /\/docs\/([^/]+)$/.exec(request.path)?.[1];
  const headers = { ...RESPONSE_HEADERS, 'content-security-policy': POLICY };
  if (name === undefined) return { statusCode: 200, headers: { 'content-type': 'text/html; charset=utf-8', ...headers }, body: HTML };
  const asset = ASSETS.get(name);
  if (!asset) return { statusCode: 404, headers: { 'content-type': 'text/plain; charset=utf-8', ...headers }, body: 'Not found' };
  return {
    statusCode: 200,
    headers: { 'content-type': asset.type, 'cache-control': 'public, max-age=3600', ...headers },
    body: asset.body,
  };
}
