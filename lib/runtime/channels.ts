import { CHANNELS } from '../domain/delivery/delivery.js';
import { isProviderName, PROVIDER_NAMES, type ProviderName } from '../providers/names.js';
import { ConfigError, type Config } from './config.js';

/** Which provider serves each channel (DELIVERY_PROVIDERS). */
export interface ChannelProviders {
  providerOf(channel: string): ProviderName;
  /** The providers some channel uses: only their status reports are taken, only their needs checked. */
  used: ProviderName[];
}

/**
 * The channels a provider can serve, where it can not serve them all. aws-sms sends from a number of
 * the tenant's own (the endpoint's address, its origination identity) to an E.164 number: only a phone
 * line (`SMS`) has both; edna's channels, `EDNA_SMS` among them, send from a pseudo-endpoint to a
 * device address without `+`, which AWS would refuse every time.
 */
const SERVES: Partial<Record<ProviderName, readonly string[]>> = { 'aws-sms': ['SMS'] };

const invalid = (message: string) => new ConfigError(`Invalid configuration: DELIVERY_PROVIDERS: ${message}`);

/**
 * Checked when the container starts, and by `serverless package` (deploy/deployed-stage.cjs): every
 * channel has a provider, or the stage stops with a message naming the channels that have none. The
 * simulated carrier is the default only in the local stack (IS_OFFLINE, set by serverless-offline): a
 * deployed stage sends through what its DELIVERY_PROVIDERS names and nothing else, so that nothing
 * is reported `sent` there that was never sent unless the stage asked for it (`*=simulated`).
 */
export function channelProviders(config: Pick<Config, 'DELIVERY_PROVIDERS' | 'IS_OFFLINE'>): ChannelProviders {
  const named = new Map<string, ProviderName>();
  for (const [channel, name] of config.DELIVERY_PROVIDERS) {
    if (!isProviderName(name)) throw invalid(`'${channel}=${name}': no provider '${name}' (known: ${PROVIDER_NAMES.join(', ')})`);
    if (channel !== '*' && !CHANNELS.includes(channel))
      throw invalid(`'${channel}=${name}': no channel '${channel}' (known: ${CHANNELS.join(', ')}; * for every channel not named)`);
    named.set(channel, name);
  }
  const fallback = named.get('*') ?? (config.IS_OFFLINE === 'true' ? 'simulated' : undefined);
  const missing = CHANNELS.filter((channel) => !named.has(channel) && !fallback);
  if (missing.length) {
    throw invalid(
      `no provider for channel ${missing.join(', ')}: a deployed stage names the provider of every channel ` +
        `(e.g. 'SMS=aws-sms,*=log'), the simulated carrier only by name ('*=simulated')`,
    );
  }
  const providerOf = (channel: string): ProviderName => {
    const name = named.get(channel.toUpperCase()) ?? fallback;
    if (!name) throw invalid(`no provider for channel ${channel}`);
    return name;
  };
  for (const [name, serves] of Object.entries(SERVES)) {
    const refused = CHANNELS.filter((channel) => providerOf(channel) === name && !serves.includes(channel));
    if (refused.length) throw invalid(`channel ${refused.join(', ')} can not go through '${name}', which serves ${serves.join(', ')} only`);
  }
  return { providerOf, used: [...new Set(CHANNELS.map(providerOf))] };
}
