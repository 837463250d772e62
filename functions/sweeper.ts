import { sweep } from '../lib/domain/delivery/sweep.js';
import { timeLeft } from '../lib/deadline.js';
import { logger, loggedHandler } from '../lib/log.js';
import { openContainer } from '../lib/runtime/index.js';
import { sweepDeps } from '../lib/runtime/sweeper.js';

const deps = sweepDeps(openContainer(), timeLeft);

/**
 * On a schedule (and in the local stack, on a short loop): messages stuck in the pipeline are
 * dispatched again, hand-offs with no final report become `unknown` (lib/domain/delivery/sweep.ts).
 * Each pass is bounded by its message count and the invocation's deadline; the next run resumes from
 * its checkpoint. The event is not read: every run does the same.
 */
export const handler = loggedHandler<unknown, unknown>().handler(async () => {
  const reports = [await sweep(deps, 'dispatch'), await sweep(deps, 'unknown')];
  for (const report of reports) if (report.examined) logger.info('Sweep', { ...report });
  return reports;
});
