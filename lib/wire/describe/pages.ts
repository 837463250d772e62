import { SERVICESTACK_OPERATIONS, type Operation } from '../operations.js';
import { LANGUAGES, operationCode, PAGE_LANGUAGES } from './native/index.js';
import type { Language } from './native/language.js';
import { allNativeTypes, pascal, selectTypes, type NativeType } from './native/model.js';
import { escapeHtml, page, SERVICE_NAME } from './html.js';
import { sampleJson, sampleXml } from './samples.js';
import { MEDIA, type Format } from '../servicestack/format.js';
import { csType } from './native/csharp.js';

const table = (caption: string, head: string[], rows: string[][]): string =>
  `<table><caption>${caption}</caption><thead><tr>${head.map((h) => `<th scope="col">${h}</th>`).join('')}</tr></thead><tbody>${rows
    .map(([first, ...rest]) => `<tr><th scope="row">${first}</th>${rest.map((cell) => `<td>${cell}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>`;

const rolesText = (op: Operation) => op.roles.join(', ');

/** `/metadata`: the operations, their formats and the roles they need. */
export function indexPage(url: string): string {
  const base = escapeHtml(url);
  const rows = SERVICESTACK_OPERATIONS.map((op) => [
    escapeHtml(op.name),
    escapeHtml(op.summary),
    `Requires role: ${escapeHtml(rolesText(op))}`,
    ['xml', 'json'].map((fmt) => `<a href="${base}/${fmt}/metadata?op=${op.name}">${fmt.toUpperCase()}</a>`).join(' '),
  ]);
  const languages = LANGUAGES.map((l) => `<li><a href="${base}/types/${l.id}">${escapeHtml(l.label)}</a></li>`).join('');
  return page(
    `${SERVICE_NAME} metadata`,
    `<h1>${SERVICE_NAME}</h1>
<p>The following operations are supported. Every call needs <code>Authorization: Bearer &lt;key&gt;</code>.</p>
${table('Operations', ['Operation', 'Summary', 'Authentication', 'Formats'], rows)}
<h2>Add ServiceStack Reference</h2>
<p>Generated DTOs for each language (<code>npx typescript-ref ${base}</code>, <code>x csharp ${base}</code>):</p>
<nav aria-label="DTO languages"><ul>${languages}<li><a href="${base}/types/metadata">Metadata (JSON)</a></li></ul></nav>
<h2>OpenAPI</h2>
<p>Both API families (Evo Voice and edna Chat Center): <a href="${base}/openapi.json">openapi.json</a>, <a href="${base}/openapi.yaml">openapi.yaml</a>, rendered at <a href="${base}/docs">/docs</a>.</p>`,
  );
}

function parameterTable(type: NativeType): string {
  if (type.enumValues)
    return table(
      `${type.name} Enum:`,
      ['Name'],
      type.enumValues.map((v) => [escapeHtml(v)]),
    );
  const rows = type.properties.map((p) => [
    pascal(p.name),
    p.paramType,
    escapeHtml(csType(p.type)),
    p.required ? 'Yes' : 'No',
    escapeHtml(p.description ?? ''),
  ]);
  return table(`${type.name} Parameters:`, ['Name', 'Parameter', 'Data Type', 'Required', 'Description'], rows);
}

function samples(op: Operation, format: Format, host: string): string {
  const route = op.declared.find((r) => !r.verbs || r.verbs === op.method) ?? op.declared[0]!;
  const render = format === 'json' ? sampleJson : sampleXml;
  const withBody = op.method !== 'GET';
  const request = [
    `${op.method} ${route.path} HTTP/1.1`,
    `Host: ${host}`,
    `Accept: ${MEDIA[format]}`,
    ...(withBody ? [`Content-Type: ${MEDIA[format]}`, 'Content-Length: length', '', render(op.request)] : []),
  ];
  const response = ['HTTP/1.1 200 OK', `Content-Type: ${MEDIA[format]}`, 'Content-Length: length', '', render(op.response)];
  return `<h2>HTTP + ${format.toUpperCase()}</h2>
<p>The following are sample HTTP requests and responses. The placeholders shown need to be replaced with actual values.</p>
<pre tabindex="0" aria-label="Sample request">${escapeHtml(request.join('\n'))}</pre>
<pre tabindex="0" aria-label="Sample response">${escapeHtml(response.join('\n'))}</pre>`;
}

/** `/{json|xml}/metadata?op=X[&lang=Y]`: one operation, its routes, its types as tables or as code, and samples. */
export function operationPage(url: string, host: string, op: Operation, format: Format, lang: Language | undefined): string {
  const base = escapeHtml(url);
  // As ServiceStack lists them: the request, its response, then the types they use.
  const rank = (t: NativeType) => (t.name === op.request ? 0 : t.name === op.response ? 1 : 2);
  const types = selectTypes(allNativeTypes(), [`${op.name}.*`], undefined).sort((a, b) => rank(a) - rank(b));
  const link = (l: Language | undefined, label: string) =>
    `<li><a href="${base}/${format}/metadata?op=${op.name}${l ? `&amp;lang=${l.id}` : ''}"${l === lang ? ' aria-current="page"' : ''}>${escapeHtml(label)}</a></li>`;
  const routes = op.declared.map((r) => [r.verbs ?? 'All Verbs', escapeHtml(r.path)]);
  const details = lang
    ? `<pre tabindex="0" aria-label="${escapeHtml(lang.label)} DTOs"><code class="language-${lang.id}">${escapeHtml(operationCode(lang, op.name))}</code></pre>
<p><a href="${base}/types/${lang.id}?IncludeTypes=${op.name}.*">${escapeHtml(lang.label)} ${op.name} DTOs</a></p>`
    : types.map(parameterTable).join('\n');
  const jsonp = format === 'json' ? '<p>To embed the response in a jsonp callback, append <code>?callback=myCallback</code></p>' : '';
  return page(
    `${op.name} | ${SERVICE_NAME}`,
    `<p><a href="${base}/metadata">&lt;back to all web services</a></p>
<h1>${op.name}</h1>
<p>${escapeHtml(types.find((t) => t.name === op.request)?.description ?? op.summary)}</p>
${table('Requires Authentication', ['Requirement', 'Value'], [['Required role', escapeHtml(rolesText(op))]])}
${table('The following routes are available for this service:', ['Verbs', 'Path'], routes)}
<nav aria-label="DTOs as"><ul>${link(undefined, 'Metadata')}${PAGE_LANGUAGES.map((l) => link(l, l.label)).join('')}</ul></nav>
${details}
<p>To override the Content-type in your clients, use the HTTP <strong>Accept</strong> Header, append the <strong>.${format}</strong> suffix or <strong>?format=${format}</strong></p>
${jsonp}
${samples(op, format, host)}`,
  );
}

export const notFoundPage = (base: string, what: string): string =>
  page(
    `Not found | ${SERVICE_NAME}`,
    `<h1>Not found</h1><p>${escapeHtml(what)}</p><p><a href="${escapeHtml(base)}/metadata">All operations</a></p>`,
  );
