import { carrierStore } from '../../store/carrier.js';
import type { ProviderModule } from '../registry.js';
import { simulatedProvider } from './carrier.js';
import { simulatedStatusReport } from './reports.js';

/**
 * The simulated carrier (local stack and tests): outcomes by destination (scenarios.ts), its records
 * in the table, its reports sent back through the status topic's function by scripts/carrier-local.ts.
 * Its inbound messages come over HTTP (`POST /dev/carrier/inbound`, inbound.ts), not from a topic.
 */
export const simulated: ProviderModule = {
  create: ({ table, clock, ids }) => simulatedProvider(carrierStore(table), clock, ids),
  statusReport: simulatedStatusReport,
};
