import { SegmentedMessage } from 'sms-segments-calculator';
import type { SegmentCounter } from '../domain/delivery/delivery.js';
import type { DispatchDeps } from '../domain/delivery/dispatch.js';
import type { MessageProvider, StatusReport } from '../domain/delivery/provider.js';
import { ulidGenerator } from '../ids.js';
import { providers } from '../providers/index.js';
import type { ProviderName } from '../providers/names.js';
import type { Notification } from '../providers/registry.js';
import { consentAtHandOff } from '../domain/consent/at-hand-off.js';
import { deliveryStore } from '../store/deliveries.js';
import { getConsent } from '../store/optouts.js';
import { streamMessage } from '../store/delivery-stream.js';
import { channelProviders, type ChannelProviders } from './channels.js';
import { ConfigError, type Config } from './config.js';
import type { Container } from './index.js';

/** GSM-7 or UCS-2 and the segment count, as carriers count them (Twilio's own calculator). */
export const countSegments: SegmentCounter = (text) => {
  const counted = new SegmentedMessage(text, 'auto');
  return { segments: counted.segmentsCount, encoding: counted.encodingName };
};

const systemClock = { now: () => new Date() };

/** The stage's providers, each with the variables it needs (checked when the container starts). */
export function usedProviders(config: Config): ChannelProviders {
  const channels = channelProviders(config);
  for (const name of channels.used) {
    const missing = providers[name].requires?.filter((variable) => config[variable] === undefined) ?? [];
    if (missing.length)
      throw new ConfigError(`Invalid configuration: ${missing.join(', ')}: required by provider '${name}' (DELIVERY_PROVIDERS)`);
  }
  return channels;
}

/** Each channel's provider, built on first use, once per container. */
function providerInstances({ config, table }: Container, channels: ChannelProviders): (channel: string) => MessageProvider {
  const built = new Map<ProviderName, MessageProvider>();
  return (channel) => {
    const name = channels.providerOf(channel);
    if (!built.has(name)) built.set(name, providers[name].create({ config, table, clock: systemClock, ids: ulidGenerator() }));
    return built.get(name)!;
  };
}

/** The dispatcher's composition: new outgoing messages from the stream, handed to their channel's provider. */
export function dispatchDeps(container: Container): DispatchDeps & { streamMessage: typeof streamMessage } {
  return {
    deliveries: deliveryStore(container.table),
    providerFor: providerInstances(container, usedProviders(container.config)),
    countSegments,
    clock: systemClock,
    ids: ulidGenerator(),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    streamMessage,
    // Uncached: an opt-out recorded before the hand-off always wins (one GetItem per hand-off).
    consentAtHandOff: consentAtHandOff((accountId, number) => getConsent(container.table, accountId, number)),
  };
}

/**
 * Status reports from the stage's topic: read by the parsers of the providers the stage uses (a
 * simulated report is never taken where no channel uses the simulated carrier), applied to deliveries.
 */
export const statusDeps = (container: Container) => ({
  deliveries: deliveryStore(container.table),
  statusReport: statusReader(usedProviders(container.config).used),
});

/** The first of these providers' status parsers that reads the notification. */
export function statusReader(used: ProviderName[]): (notification: Notification) => StatusReport | undefined {
  const parsers = used.flatMap((name) => {
    const parse = providers[name].statusReport;
    return parse ? [parse] : [];
  });
  return (notification) => {
    for (const parse of parsers) {
      const report = parse(notification);
      if (report) return report;
    }
    return undefined;
  };
}
