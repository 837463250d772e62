import * as z from 'zod/mini';

/** Empty strings count as unset: `${env:X, ''}` in serverless.yml yields them. */
const optional = z.pipe(
  z.optional(z.string()),
  z.transform((value) => (value ? value : undefined)),
);

export const PROVIDER_NAMES = ['simulated', 'aws-sms'] as const;
export type ProviderName = (typeof PROVIDER_NAMES)[number];

/**
 * `SMS=aws-sms,WHATSAPP=simulated`: the provider of each channel; `*=...` names the one of every
 * channel not named, else `simulated`.
 */
const providersByChannel = z.pipe(
  optional,
  z.transform((value, context) => {
    const pairs = (value ?? '').split(',').filter(Boolean).map((pair) => pair.split('=').map((part) => part.trim()));
    for (const [channel, provider] of pairs) {
      if (!channel || !PROVIDER_NAMES.includes(provider as ProviderName)) {
        context.issues.push({ code: 'custom', input: value, message: `'${channel}=${provider}' must be CHANNEL=${PROVIDER_NAMES.join('|')}` });
      }
    }
    return new Map(pairs.map(([channel, provider]) => [channel!.toUpperCase(), provider as ProviderName]));
  }),
);

const deliveryConfigSchema = z.object({
  DELIVERY_PROVIDERS: providersByChannel,
  /** aws-sms: the configuration set that routes status events to the stage's topic. */
  SMS_CONFIGURATION_SET: optional,
  SMS_TIME_TO_LIVE_SECONDS: z.optional(z.coerce.number().check(z.int(), z.minimum(300), z.maximum(259200))),
});

export interface DeliveryConfig {
  providerOf(channel: string): ProviderName;
  /** True when any channel is served by the simulated carrier (its routes and reports are on only then). */
  simulated: boolean;
  smsConfigurationSet?: string | undefined;
  smsTimeToLiveSeconds?: number | undefined;
}

/** Parsed when a container starts; a bad value stops it at once. */
export function loadDeliveryConfig(env: Record<string, string | undefined> = process.env): DeliveryConfig {
  const result = z.safeParse(deliveryConfigSchema, env);
  if (!result.success) {
    throw new Error(`Invalid delivery configuration: ${result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  const { DELIVERY_PROVIDERS: byChannel, SMS_CONFIGURATION_SET, SMS_TIME_TO_LIVE_SECONDS } = result.data;
  const fallback = byChannel.get('*') ?? 'simulated';
  const providerOf = (channel: string): ProviderName => byChannel.get(channel.toUpperCase()) ?? fallback;
  const used = [fallback, ...byChannel.values()];
  if (used.includes('aws-sms') && !SMS_CONFIGURATION_SET) throw new Error('Invalid delivery configuration: aws-sms needs SMS_CONFIGURATION_SET');
  return { providerOf, simulated: used.includes('simulated'), smsConfigurationSet: SMS_CONFIGURATION_SET, smsTimeToLiveSeconds: SMS_TIME_TO_LIVE_SECONDS };
}
