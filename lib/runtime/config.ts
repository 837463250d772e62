import * as z from 'zod/mini';
import { DEFAULT_RATE_LIMIT } from '../domain/limits/rate.js';

/**
 * The one reader of the environment: every variable any function takes, in one schema, read once
 * per container. A bad value stops the container at once with one message naming each variable;
 * a variable that only some functions need is checked where it is used, by `required`.
 */
export type Env = Record<string, string | undefined>;

/**
 * The longest a warm container may trust a cached API key. A key rotated with a shorter overlap could
 * outlive it in a container that read it before the rotation, so the CLI refuses shorter overlaps.
 */
export const MAX_CREDENTIAL_CACHE_SECONDS = 60;

/** Built on first use, so that a function reading only `lambdaFunctionName` bundles no schema. */
function schemaOf() {
  /** Empty strings count as unset: `${env:X, ''}` in serverless.yml yields them. */
  const optional = z.pipe(
    z.optional(z.string()),
    z.transform((value) => (value ? value : undefined)),
  );

  const seconds = (fallback: number) => z._default(z.coerce.number().check(z.int(), z.minimum(0)), fallback);

  const list = z.pipe(
    z.string(),
    z.transform((text) => text.split(',').filter(Boolean).map(Number)),
  );

  /**
   * `SMS=aws-sms,WHATSAPP=simulated`: the provider of each channel; `*=...` names the one of every
   * channel not named, else `simulated`. Names are checked against lib/providers/names.ts by
   * lib/runtime/channels.ts, so that this file bundles no provider.
   */
  const providersByChannel = z.pipe(
    optional,
    z.transform((value, context) => {
      const pairs = (value ?? '')
        .split(',')
        .filter(Boolean)
        .map((pair) => pair.split('=').map((part) => part.trim()));
      for (const pair of pairs) {
        if (pair.length !== 2 || !pair[0] || !pair[1])
          context.issues.push({ code: 'custom', input: value, message: `'${pair.join('=')}' must be CHANNEL=provider` });
      }
      return new Map(pairs.map(([channel, provider]) => [channel!.toUpperCase(), provider!]));
    }),
  );

  return z.object({
    /** The one table (every function but describe and docs). */
    TABLE_NAME: z.optional(z.string().check(z.minLength(3))),
    /** DynamoDB Local; unset in AWS. */
    DYNAMODB_ENDPOINT: optional,
    /** How long a warm container trusts a cached API key (revocation delay); at most the CLI's shortest rotation overlap. */
    CREDENTIAL_CACHE_SECONDS: z._default(z.coerce.number().check(z.int(), z.minimum(0), z.maximum(MAX_CREDENTIAL_CACHE_SECONDS)), 60),
    /** How long a warm container remembers that a secret is unknown: a repeated bad token costs no read. */
    UNKNOWN_CREDENTIAL_CACHE_SECONDS: seconds(10),
    /** Per-account rate limit of each container (a token bucket): requests per second, and the burst. */
    ACCOUNT_RATE_LIMIT: z._default(z.coerce.number().check(z.positive()), DEFAULT_RATE_LIMIT.perSecond),
    ACCOUNT_BURST_LIMIT: z._default(z.coerce.number().check(z.int(), z.minimum(1)), DEFAULT_RATE_LIMIT.burst),
    /** Where `/types` and `/openapi.json` say the API lives; unset: the URL each request was made on. */
    PUBLIC_BASE_URL: optional,
    DELIVERY_PROVIDERS: providersByChannel,
    /** aws-sms: the configuration set that routes status events to the stage's topic. */
    SMS_CONFIGURATION_SET: optional,
    SMS_TIME_TO_LIVE_SECONDS: z.optional(z.coerce.number().check(z.int(), z.minimum(300), z.maximum(259200))),
    /** The local SQS emulator; unset in AWS. */
    SQS_ENDPOINT: optional,
    /** send-from-queue and send-from-event: where permanent refusals go at once. */
    DEAD_LETTER_QUEUE_URL: optional,
    CALLBACK_QUEUE_URL: optional,
    CALLBACK_DLQ_URL: optional,
    /** Seconds before each callback retry (SQS delays: at most 900 each). */
    CALLBACK_RETRY_SECONDS: z
      ._default(list, [10, 60, 300, 900, 900, 900])
      .check(z.refine((delays) => delays.every((s) => Number.isInteger(s) && s >= 0 && s <= 900), '0 to 900 each')),
    CALLBACK_TIMEOUT_MS: z._default(z.coerce.number().check(z.int(), z.minimum(100)), 5000),
    /** 'true' only locally: callbacks may go to loopback and private addresses, over http. */
    CALLBACK_ALLOW_PRIVATE: z._default(z.enum(['true', 'false']), 'false'),
    /** The sweeper (docs/delivery.md): accepted with no delivery after this (N), a `sending` claim this old (M), `unknown` after this. */
    SWEEP_UNDISPATCHED_AFTER_SECONDS: seconds(900),
    SWEEP_STALE_CLAIM_AFTER_SECONDS: seconds(600),
    SWEEP_UNKNOWN_AFTER_SECONDS: seconds(259200),
    /** Messages each sweeper pass looks at per run. */
    SWEEP_MAX_MESSAGES: z._default(z.coerce.number().check(z.int(), z.minimum(10)), 5000),
    /** Set to 'true' by serverless-offline, never by Lambda: the function runs in the local stack. */
    IS_OFFLINE: optional,
  });
}

export type Config = z.infer<ReturnType<typeof schemaOf>>;

const describeIssues = (issues: readonly { path: readonly PropertyKey[]; message: string }[]) =>
  issues.map((issue) => `${issue.path.map(String).join('.')}: ${issue.message}`).join('; ');

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export function loadConfig(env: Env = process.env): Config {
  const result = z.safeParse(schemaOf(), env);
  if (!result.success) throw new ConfigError(`Invalid configuration: ${describeIssues(result.error.issues)}`);
  return result.data;
}

/** A variable this function can not run without: its value, or a configuration error naming it. */
export function required<K extends keyof Config>(config: Config, name: K): NonNullable<Config[K]> {
  const value = config[name];
  if (value === undefined) throw new ConfigError(`Invalid configuration: ${name}: required`);
  return value as NonNullable<Config[K]>;
}

/** Set by Lambda: the metrics' `function` dimension. Read alone, so that metrics bundle no schema. */
export const lambdaFunctionName = (): string | undefined => process.env.AWS_LAMBDA_FUNCTION_NAME;

/** The configuration of this container, read on first use. */
let current: Config | undefined;
export const config = (): Config => (current ??= loadConfig());
