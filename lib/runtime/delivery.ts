import { SegmentedMessage } from 'sms-segments-calculator';
import type { SegmentCounter } from '../domain/delivery/delivery.js';
import type { DispatchDeps } from '../domain/delivery/dispatch.js';
import type { MessageProvider } from '../domain/delivery/provider.js';
import { ulidGenerator } from '../ids.js';
import { awsSmsProvider } from '../providers/aws-sms.js';
import { loadDeliveryConfig, type DeliveryConfig, type ProviderName } from '../providers/config.js';
import { simulatedProvider } from '../providers/simulated.js';
import type { Container } from './index.js';
import { carrierStore } from '../store/carrier.js';
import { deliveryStore } from '../store/deliveries.js';
import type { Table } from '../store/table.js';

/** GSM-7 or UCS-2 and the segment count, as carriers count them (Twilio's own calculator). */
export const countSegments: SegmentCounter = (text) => {
  const counted = new SegmentedMessage(text, 'auto');
  return { segments: counted.segmentsCount, encoding: counted.encodingName };
};

const systemClock = { now: () => new Date() };

/** Each channel's provider, built once per container, only for the providers the stage uses. */
export function providers(config: DeliveryConfig, table: Table): (channel: string) => MessageProvider {
  const built = new Map<ProviderName, MessageProvider>();
  const build = (name: ProviderName): MessageProvider =>
    name === 'aws-sms'
      ? awsSmsProvider({ configurationSetName: config.smsConfigurationSet!, timeToLiveSeconds: config.smsTimeToLiveSeconds })
      : simulatedProvider(carrierStore(table), systemClock, ulidGenerator());
  return (channel) => {
    const name = config.providerOf(channel);
    if (!built.has(name)) built.set(name, build(name));
    return built.get(name)!;
  };
}

/** The composition of the dispatcher (lib/runtime.ts's pieces for sends). */
export function dispatchDeps({ table }: Container, config = loadDeliveryConfig()): DispatchDeps {
  return {
    deliveries: deliveryStore(table),
    providerFor: providers(config, table),
    countSegments,
    clock: systemClock,
    ids: ulidGenerator(),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  };
}
