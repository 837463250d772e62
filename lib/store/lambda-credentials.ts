import { fromEnv } from '@aws-sdk/credential-provider-env';

type Init = Parameters<typeof fromEnv>[0];
type Credentials = Awaited<ReturnType<ReturnType<typeof fromEnv>>>;

/**
 * Stands in for `@aws-sdk/credential-provider-node` in the bundles (esbuild `alias` in
 * serverless.yml): a Lambda's credentials are its environment variables, so the rest of the SDK's
 * default chain (profiles, SSO, web identity, process, container and instance metadata, and the STS
 * and SSO clients they carry) is about 90 KB that no function ever runs.
 *
 * Read once and kept, as the chain it replaces memoizes: the SDK asks three times per request. They
 * are read again only past an `AWS_CREDENTIAL_EXPIRATION` (Lambda sets none: its variables hold for
 * the sandbox's life) or after a failed read.
 */
export function defaultProvider(init?: Init): () => Promise<Credentials> {
  const read = fromEnv(init);
  let held: Promise<Credentials> | undefined;
  return () => {
    held ??= read().catch((error: unknown) => {
      held = undefined;
      throw error;
    });
    return held.then((credentials) => {
      if (credentials.expiration && credentials.expiration.getTime() <= Date.now()) {
        held = undefined;
        return read();
      }
      return credentials;
    });
  };
}
