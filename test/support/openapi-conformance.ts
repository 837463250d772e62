import * as z from 'zod';

/**
 * Checks real requests and answers against an OpenAPI 3.1 document, as a validating proxy (Prism
 * with `--errors`) would: the route and verb are documented, every query name of an accepted request
 * is a documented parameter and its value fits its schema (a list in its documented style), the status is
 * documented, the media type is one of that status's, and a JSON body fits its schema.
 */
export interface Exchange {
  method: string;
  /** The path and query string, as sent. */
  url: string;
  status: number;
  /** The answer's Content-Type header ('' when none). */
  contentType: string;
  body: string;
}

type Schema = Record<string, unknown>;
interface Parameter {
  name: string;
  in: string;
  schema?: Schema;
  style?: string;
  explode?: boolean;
}
interface Operation {
  parameters?: (Parameter | { $ref: string })[];
  responses: Record<string, { content?: Record<string, { schema?: Schema }> }>;
}
export interface Document {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema>; parameters?: Record<string, Parameter> };
}

const mediaType = (contentType: string): string => contentType.split(';')[0]!.trim().toLowerCase();
const isJson = (media: string): boolean => media === 'application/json' || media.endsWith('+json');

/** The path templates matching a path, the most literal first (`/messages.json` before `/{x}`). */
function findPath(document: Document, path: string): string | undefined {
  const matches = Object.keys(document.paths).filter((template) =>
    new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`).test(path),
  );
  return matches.sort((a, b) => (a.match(/\{/g)?.length ?? 0) - (b.match(/\{/g)?.length ?? 0))[0];
}

/** One schema of the document as zod, its `#/components/schemas/` references resolved. */
function validatorOf(document: Document, schema: Schema): z.ZodType {
  const text = JSON.stringify({ ...schema, $defs: document.components.schemas }).replaceAll('#/components/schemas/', '#/$defs/');
  return z.fromJSONSchema({ $schema: 'https://json-schema.org/draft/2020-12/schema', ...JSON.parse(text) });
}

const issues = (result: { success: boolean; error?: z.ZodError }): string =>
  result.error ? result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ') : '';

/** A query value as its schema reads it: a list split by its style, a number or boolean from its text. */
function queryValue(parameter: Parameter, value: string): unknown {
  const schema = parameter.schema ?? {};
  if (schema.type === 'array') return parameter.explode === false ? value.split(',') : [value];
  if (schema.type === 'integer' || schema.type === 'number') return value.trim() === '' ? value : Number(value);
  if (schema.type === 'boolean') return value === 'true' ? true : value === 'false' ? false : value;
  return value;
}

/**
 * Query names are matched as ServiceStack binds them, case-insensitively (the document says so on
 * each ServiceStack operation): `EndpointIds` is the documented `endpointIds`.
 */
function queryProblems(document: Document, operation: Operation, query: URLSearchParams): string[] {
  const parameters = (operation.parameters ?? [])
    .map((p) => ('$ref' in p ? document.components.parameters?.[p.$ref.split('/').pop()!] : p))
    .filter((p): p is Parameter => p?.in === 'query');
  return [...query.keys()].flatMap((name) => {
    const parameter =
      parameters.find((p) => p.name.toLowerCase() === name.toLowerCase()) ??
      // A free-form object (`style: form, explode: true`) takes any name.
      parameters.find((p) => p.schema?.type === 'object' && p.explode !== false);
    if (!parameter) return [`query parameter '${name}' is not documented`];
    if (parameter.schema?.type === 'object') return [];
    if (!parameter.schema) return [];
    const result = validatorOf(document, parameter.schema).safeParse(queryValue(parameter, query.getAll(name).join(',')));
    return result.success ? [] : [`query parameter '${name}': ${issues(result)}`];
  });
}

/** Every way the exchange departs from the document; empty when it conforms. */
export function conformanceProblems(document: Document, exchange: Exchange): string[] {
  const url = new URL(exchange.url, 'http://localhost');
  const template = findPath(document, url.pathname);
  if (!template) return [`${url.pathname} is not documented`];
  const verb = exchange.method.toLowerCase();
  const operation = document.paths[template]![verb];
  if (!operation) return [`${exchange.method} ${template} is not documented`];
  // A refused request (4xx) may well be outside the document: that is why it was refused.
  const refused = exchange.status >= 400 && exchange.status < 500;
  const problems = refused ? [] : queryProblems(document, operation, url.searchParams);
  const response = operation.responses[String(exchange.status)] ?? operation.responses.default;
  if (!response) return [...problems, `status ${exchange.status} is not documented for ${exchange.method} ${template}`];
  const media = mediaType(exchange.contentType);
  if (!response.content) {
    if (exchange.body !== '') problems.push(`status ${exchange.status} documents no body, but one came (${media})`);
    return problems;
  }
  const content = response.content[media];
  if (!content)
    return [
      ...problems,
      `${exchange.status} answered ${media || 'no media type'}; documented: ${Object.keys(response.content).join(', ')}`,
    ];
  if (content.schema && isJson(media)) {
    let body: unknown;
    try {
      body = JSON.parse(exchange.body);
    } catch {
      return [...problems, `${exchange.status} ${media} body is not JSON`];
    }
    const result = validatorOf(document, content.schema).safeParse(body);
    if (!result.success) problems.push(`${exchange.status} body does not fit its schema: ${issues(result)}`);
  }
  return problems;
}
