import { randomBytes } from 'node:crypto';
import * as z from 'zod/mini';
import { hashSecret, type Role } from './auth.js';
import { invalidField } from './errors.js';
import { toE164 } from './phone.js';
import { generateSecret, secretHint } from './secrets.js';
import { idSchema } from './send-message.js';
import { nameSchema, parseOrThrow } from './validation.js';

/**
 * What operators provision (the CLI, scripts/admin.ts, and the demo seed): accounts, endpoints,
 * API keys and edna tokens, event producer bindings. Every input is validated with the API's own
 * schemas (ids, names, E.164 numbers), so nothing is stored that a send could not address.
 */
export type ProvisioningErrorCode = 'exists' | 'not-found' | 'disabled';

export class ProvisioningError extends Error {
  override readonly name = 'ProvisioningError';
  constructor(
    readonly code: ProvisioningErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export type AccountStatus = 'active' | 'disabled';

export interface Account {
  accountId: string;
  name: string;
  /** Absent on accounts stored before provisioning existed: active. */
  status?: AccountStatus;
}

const accountInput = z.strictObject({ accountId: idSchema, name: nameSchema(200) });
export const parseAccount = (input: unknown): Account => ({ ...parseOrThrow(accountInput, input), status: 'active' });

const endpointInput = z.strictObject({
  endpointId: idSchema,
  accountId: idSchema,
  customerId: idSchema,
  displayName: nameSchema(100),
  address: z.string().check(z.maxLength(64)),
});

/** An endpoint as sends use it; its address normalised to E.164 as a send's toAddress is. */
export function parseEndpoint(input: unknown) {
  const endpoint = parseOrThrow(endpointInput, input);
  return { ...endpoint, address: toE164(endpoint.address, 'address') };
}

export const parseDisplayName = (displayName: unknown): string =>
  parseOrThrow(z.object({ displayName: nameSchema(100) }), { displayName }).displayName;

export const ROLES = ['User', 'INTEGRATOR', 'OPERATOR', 'SUPERVISOR'] as const satisfies readonly Role[];

const keyInput = z.strictObject({
  accountId: idSchema,
  roles: z.array(z.enum(ROLES)).check(z.minLength(1), z.maxLength(ROLES.length)),
  agentId: z.optional(z.number().check(z.int(), z.positive(), z.maximum(Number.MAX_SAFE_INTEGER))),
  label: z.optional(nameSchema(100)),
});
export type KeyInput = z.infer<typeof keyInput>;

/** edna tokens carry an agent id (the edna API answers it); Evo Voice keys have none. */
export function parseKey(input: unknown): KeyInput {
  const key = parseOrThrow(keyInput, input);
  const edna = key.roles.some((role) => role !== 'User');
  if (edna && key.agentId === undefined)
    throw invalidField('agentId', 'NotEmpty', "'agentId' is required for an edna token (roles INTEGRATOR, OPERATOR, SUPERVISOR).");
  if (!edna && key.agentId !== undefined) throw invalidField('agentId', 'UnknownField', "'agentId' is only for edna tokens.");
  return { ...key, roles: [...new Set(key.roles)] };
}

export type KeyStatus = 'active' | 'revoked';

/** What is stored about an issued key: never the secret, only its hash and a hint to recognise it. */
export interface KeyRecord extends KeyInput {
  keyId: string;
  secretHash: string;
  hint: string;
  createdAt: string;
  status: KeyStatus;
  /** Epoch seconds: a rotated key is accepted until then (its overlap), then refused. */
  retiresAt?: number;
  replacedBy?: string;
  revokedAt?: string;
}

/**
 * A new key: the secret, to be shown once, and its record. The key id is random (64 bits), never
 * derived from the secret: a hash of a short imported secret could be brute-forced from it. Importing
 * the same secret twice (the seed on every start) is refused by its credential item, which exists.
 * Ids issued before (`key_` and the hash's first 16 hex digits) stay as stored and keep working.
 */
export function issueKey(input: KeyInput, now: Date, secret: string = generateSecret()): { secret: string; record: KeyRecord } {
  const secretHash = hashSecret(secret);
  return {
    secret,
    record: {
      ...input,
      keyId: `key_${randomBytes(8).toString('hex')}`,
      secretHash,
      hint: secretHint(secret),
      createdAt: now.toISOString(),
      status: 'active',
    },
  };
}

const producerInput = z.union([
  z.strictObject({
    kind: z.literal('sqs'),
    senderId: z.string().check(z.regex(/^[A-Z0-9]{5,128}$/, { error: 'must be an IAM unique id (AIDA…, AROA…) or an account id' })),
  }),
  z.strictObject({
    kind: z.literal('events'),
    account: z.string().check(z.regex(/^\d{12}$/, { error: 'must be a 12-digit AWS account id' })),
    source: z.string().check(z.minLength(1), z.maxLength(256), z.regex(/^[A-Za-z0-9._\-/]+$/, { error: 'must be an EventBridge source' })),
  }),
]);

/** An event producer as AWS identifies it (README, "Sending by event"). */
export const parseProducer = (producer: unknown) => parseOrThrow(z.object({ producer: producerInput }), { producer }).producer;

/** An event producer and the tenants it may act for. */
export function parseProducerBinding(producer: unknown, accountIds: unknown) {
  const parsed = parseOrThrow(z.object({ producer: producerInput, accountIds: z.array(idSchema).check(z.minLength(1), z.maxLength(50)) }), {
    producer,
    accountIds,
  });
  return { producer: parsed.producer, accountIds: [...new Set(parsed.accountIds)] };
}
