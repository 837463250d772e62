/**
 * The one error model. The core raises DomainError values; each API family has one mapper
 * (lib/wire/servicestack-errors.ts, the edna one) turning a code into a status and a body.
 */
export type DomainErrorCode =
  | 'invalid'
  | 'unauthorized'
  | 'forbidden'
  | 'not-found'
  | 'payload-too-large'
  | 'unsupported-media-type'
  | 'idempotency-key-reused'
  /** The recipient opted out of the account's messages (lib/domain/consent/guard.ts). */
  | 'recipient-opted-out'
  | 'too-many-requests'
  | 'unavailable';

/** One refused field. `field` is a path in the request's own camelCase names ("toAddress", "a.b"). */
export interface FieldError {
  field: string;
  /** Stable machine-readable reason, e.g. NotEmpty, MaximumLength, InvalidType, InvalidPhoneNumber. */
  code: string;
  message: string;
}

export class DomainError extends Error {
  override readonly name = 'DomainError';
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly fields: readonly FieldError[] = [],
    options?: { cause?: unknown; reason?: string; retryAfterSeconds?: number },
  ) {
    super(message, options);
    this.reason = options?.reason;
    this.retryAfterSeconds = options?.retryAfterSeconds;
  }

  /** A machine-readable reason for errors that name no field, e.g. SerializationException. */
  readonly reason: string | undefined;
  /** When a refusal that time lifts (a quota, a rate limit) may be retried: the Retry-After header. */
  readonly retryAfterSeconds: number | undefined;
}

export const isDomainError = (e: unknown): e is DomainError => e instanceof DomainError;

export const invalid = (fields: FieldError[]): DomainError =>
  new DomainError('invalid', fields[0]?.message ?? 'The request is not valid', fields);

export const invalidField = (field: string, code: string, message: string): DomainError => invalid([{ field, code, message }]);

/** Also used for another account's resources: existence is never revealed across tenants. */
export const notFound = (what: string, field?: string): DomainError =>
  new DomainError('not-found', `${what} not found`, field ? [{ field, code: 'NotFound', message: `${what} not found` }] : []);

export const unauthorized = (message = 'A valid API key is required'): DomainError => new DomainError('unauthorized', message);

export const forbidden = (message = 'This key may not use this operation'): DomainError => new DomainError('forbidden', message);
