import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { DomainError } from '../domain/errors.js';

/** Largest request body accepted; a SendMessage is well under 8 KB even at the text limit. */
export const MAX_BODY_BYTES = 64 * 1024;

/** An HTTP request as the wire layer sees it: header names lower-cased, body decoded. */
export interface HttpRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  query: Record<string, string>;
  pathParameters: Record<string, string>;
  body: string;
}

export interface HttpResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

export function fromApiGateway(event: APIGatewayProxyEventV2): HttpRequest {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(event.headers ?? {})) if (value !== undefined) headers[name.toLowerCase()] = value;
  return {
    method: event.requestContext.http.method.toUpperCase(),
    path: event.rawPath,
    headers,
    query: defined(event.queryStringParameters),
    pathParameters: defined(event.pathParameters),
    body: decodeBody(event),
  };
}

function defined(record: Record<string, string | undefined> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(record ?? {})) if (value !== undefined) out[key] = value;
  return out;
}

/** API Gateway base64-encodes some bodies (and serverless-offline others): always decode when flagged. */
function decodeBody(event: APIGatewayProxyEventV2): string {
  // API Gateway always sends a string; serverless-offline passes a JSON body of `false` or a number parsed.
  const raw = typeof event.body === 'string' ? event.body : event.body == null ? '' : JSON.stringify(event.body);
  if (raw.length > MAX_BODY_BYTES * 2) throw tooLarge();
  const bytes = event.isBase64Encoded ? Buffer.from(raw, 'base64') : Buffer.from(raw, 'utf8');
  if (bytes.length > MAX_BODY_BYTES) throw tooLarge();
  return bytes.toString('utf8');
}

const tooLarge = (): DomainError => new DomainError('payload-too-large', `The request body must be ${MAX_BODY_BYTES} bytes or fewer`);

/** `Authorization: Bearer <secret>`; anything else counts as no credentials. */
export function bearerToken(request: HttpRequest): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
  return match?.[1];
}

/** The media type of the body, without parameters, lower-cased ('' when absent). */
export function mediaType(request: HttpRequest): string {
  return (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
}

/** Parses a JSON body; an empty body is an empty object, malformed JSON a 400. */
export function parseJson(body: string): unknown {
  if (body.trim() === '') return {};
  try {
    return JSON.parse(body);
  } catch {
    throw new DomainError('invalid', 'The request body is not valid JSON', [], { reason: 'SerializationException' });
  }
}

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

/**
 * The `Idempotency-Key` header (IETF draft): a Structured Fields string, though many clients send
 * it unquoted, so both are accepted. 1 to 255 visible ASCII characters.
 */
export function idempotencyKey(request: HttpRequest): string | undefined {
  const raw = request.headers['idempotency-key'];
  if (raw === undefined) return undefined;
  const key = raw.trim().replace(/^"(.*)"$/, '$1');
  if (!IDEMPOTENCY_KEY.test(key)) {
    throw new DomainError('invalid', "'Idempotency-Key' must be 1 to 255 visible ASCII characters", [
      { field: 'Idempotency-Key', code: 'InvalidFormat', message: "'Idempotency-Key' must be 1 to 255 visible ASCII characters." },
    ]);
  }
  return key;
}
