import * as z from 'zod/mini';

/** Empty strings count as unset: `${env:X, ''}` in serverless.yml yields them. */
const optional = z.pipe(
  z.optional(z.string()),
  z.transform((value) => (value ? value : undefined)),
);

const configSchema = z.object({
  TABLE_NAME: z.string().check(z.minLength(3)),
  DYNAMODB_ENDPOINT: optional,
  /** How long a warm container trusts a cached API key (revocation delay). */
  CREDENTIAL_CACHE_SECONDS: z._default(z.coerce.number().check(z.int(), z.minimum(0)), 60),
  /** How long a warm container remembers that a secret is unknown: a repeated bad token costs no read. */
  UNKNOWN_CREDENTIAL_CACHE_SECONDS: z._default(z.coerce.number().check(z.int(), z.minimum(0)), 10),
});

export type Config = z.infer<typeof configSchema>;

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const result = z.safeParse(configSchema, env);
  if (!result.success) {
    throw new Error(`Invalid configuration: ${result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  return result.data;
}
