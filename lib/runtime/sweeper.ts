import type { SweepDeps } from '../domain/delivery/sweep.js';
import { sweepStore } from '../store/sweep.js';
import { dispatchDeps } from './delivery.js';
import type { Container } from './index.js';

/** Where a pass with no checkpoint yet starts: a day before its age limit (a new stage, or a stage that predates the sweeper). */
const FIRST_LOOKBACK_MS = 24 * 3600 * 1000;

/** The sweeper's composition: the dispatcher's own dependencies (the same providers and claim), the sweep store, the rules. */
export function sweepDeps(container: Container, timeLeft: () => number): SweepDeps {
  const { config } = container;
  return {
    ...dispatchDeps(container),
    sweeps: sweepStore(container.table),
    rules: {
      undispatchedAfterMs: config.SWEEP_UNDISPATCHED_AFTER_SECONDS * 1000,
      staleClaimAfterMs: config.SWEEP_STALE_CLAIM_AFTER_SECONDS * 1000,
      unknownAfterMs: config.SWEEP_UNKNOWN_AFTER_SECONDS * 1000,
      maxMessages: config.SWEEP_MAX_MESSAGES,
      firstLookbackMs: FIRST_LOOKBACK_MS,
    },
    timeLeft,
  };
}
