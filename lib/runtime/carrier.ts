import { ulidGenerator } from '../ids.js';
import { simulatedInboundMessage } from '../providers/simulated/inbound.js';
import { carrierOutbox } from '../store/carrier.js';
import { channelProviders } from './channels.js';
import { credentialStore, type Container } from './index.js';
import { inboundDeps } from './inbound.js';

/** The simulated carrier's own routes (`/dev/carrier/*`): on only where some channel uses it. */
export function simulatedCarrier(container: Container) {
  const ids = ulidGenerator();
  return {
    enabled: channelProviders(container.config).used.includes('simulated'),
    credentials: credentialStore(container),
    inbound: inboundDeps(container),
    /** The body of `POST /dev/carrier/inbound` as an incoming message; a carrier id `IN…` when the body names none. */
    inboundMessage: (body: string, now: Date) => simulatedInboundMessage(body, () => `IN${ids.next()}`, now),
    /** Every hand-off the carrier holds, all accounts': the route filters the caller's. */
    outbox: () => carrierOutbox(container.table),
  };
}
