/**
 * The provider names, kept apart from the registry (lib/providers/index.ts) so that a function that
 * only needs to know which providers a stage uses bundles none of them. The registry is checked
 * against this list (`satisfies Record<ProviderName, ProviderModule>`): a name without a provider,
 * or a provider without a name, is a type error.
 */
export const PROVIDER_NAMES = ['simulated', 'aws-sms', 'log'] as const;

export type ProviderName = (typeof PROVIDER_NAMES)[number];

export const isProviderName = (name: string): name is ProviderName => (PROVIDER_NAMES as readonly string[]).includes(name);
