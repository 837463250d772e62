import { fromEnv } from '@aws-sdk/credential-provider-env';

/**
 * Stands in for `@aws-sdk/credential-provider-node` in the bundles (esbuild `alias` in
 * serverless.yml): a Lambda's credentials are its environment variables, so the rest of the SDK's
 * default chain (profiles, SSO, web identity, process, container and instance metadata, and the STS
 * and SSO clients they carry) is about 90 KB that no function ever runs.
 */
export const defaultProvider = fromEnv;
