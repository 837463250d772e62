import { isProviderName, PROVIDER_NAMES, type ProviderName } from '../providers/names.js';
import { ConfigError, type Config } from './config.js';

/** Which provider serves each channel (DELIVERY_PROVIDERS; `simulated` for every channel not named). */
export interface ChannelProviders {
  providerOf(channel: string): ProviderName;
  /** The providers some channel uses: only their status reports are taken, only their needs checked. */
  used: ProviderName[];
}

/** Checked when the container starts: a name with no provider stops it with a message naming both. */
export function channelProviders(config: Config): ChannelProviders {
  const named = new Map<string, ProviderName>();
  for (const [channel, name] of config.DELIVERY_PROVIDERS) {
    if (!isProviderName(name)) {
      throw new ConfigError(
        `Invalid configuration: DELIVERY_PROVIDERS: '${channel}=${name}': no provider '${name}' (known: ${PROVIDER_NAMES.join(', ')})`,
      );
    }
    named.set(channel, name);
  }
  const fallback = named.get('*') ?? 'simulated';
  return { providerOf: (channel) => named.get(channel.toUpperCase()) ?? fallback, used: [...new Set([fallback, ...named.values()])] };
}
