import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Time kept back from an invocation's remaining time: after its last DynamoDB call a handler still
 * renders its answer (or its batch report) and returns before Lambda's own timeout.
 */
export const ANSWER_MARGIN_MS = 500;

const deadlines = new AsyncLocalStorage<number>();

/**
 * Runs `work` with a deadline `remainingMs - ANSWER_MARGIN_MS` from now. Every DynamoDB call made
 * inside it is aborted at the deadline, and none starts after it, so an invocation that gives up
 * can not write anything later (a frozen sandbox resuming its pending calls finds them aborted).
 */
export const withDeadline = <T>(remainingMs: number, work: () => Promise<T>): Promise<T> =>
  deadlines.run(Date.now() + remainingMs - ANSWER_MARGIN_MS, work);

/** Milliseconds left before the current invocation's deadline; Infinity outside one (scripts, tests). */
export function timeLeft(): number {
  const deadline = deadlines.getStore();
  return deadline === undefined ? Number.POSITIVE_INFINITY : deadline - Date.now();
}

/** An AbortSignal that fires at the current deadline (undefined outside an invocation). */
export function deadlineSignal(): AbortSignal | undefined {
  const left = timeLeft();
  return Number.isFinite(left) ? AbortSignal.timeout(Math.max(0, left)) : undefined;
}
