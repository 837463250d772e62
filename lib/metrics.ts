import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { lambdaFunctionName } from './runtime/config.js';

/**
 * What the service counts, as CloudWatch embedded metric format: each count is one JSON line in the
 * function's log that CloudWatch turns into a metric, so counting costs no API call and no latency.
 * Namespace `messaging-api`; every metric has the dimensions `service` and `function` (the Lambda's
 * name), refusals also `code` (the domain error code, or `internal`). The alarms and the dashboard in
 * serverless.yml read these.
 */
export type MetricName =
  /** An HTTP request answered 200. */
  | 'Accepted'
  /** An HTTP request refused (4xx) or failed (5xx), by code. */
  | 'Refused'
  /** A send whose idempotency key was already claimed by the same request: answered from what it stored. */
  | 'IdempotentReplay'
  /** A queue record or event stored. */
  | 'EventAccepted'
  /** A queue record or event refused for good (dead-lettered at once), by code. */
  | 'EventRefused'
  /** A queue record or event that failed for now and is retried, by code. */
  | 'EventFailed'
  /** A message the dispatcher dealt with, by `outcome`: the status it recorded (sent, failed, unknown), or duplicate. */
  | 'Dispatched'
  /** A callback answered 2xx. */
  | 'CallbackDelivered'
  /** A callback attempt that failed for now (network, timeout, 408, 429, 5xx): retried or dead-lettered. */
  | 'CallbackRetried'
  /** A callback refused for good (another answer, a refused URL). */
  | 'CallbackFailed';

const metrics = new Metrics({
  namespace: 'messaging-api',
  serviceName: 'messaging-api',
  defaultDimensions: { function: lambdaFunctionName() ?? 'local' },
});

/**
 * Emits one EMF line with `name` and `dimensions` (besides the defaults): the one instance stores it and
 * publishes at once, which also clears the dimensions. `singleMetric()` would do the same through a new
 * Metrics (and a new Console) per call, a tenth of a millisecond on every request.
 */
function emit(
  name: MetricName | 'DispatchLatency',
  unit: (typeof MetricUnit)[keyof typeof MetricUnit],
  value: number,
  dimensions: Record<string, string>,
): void {
  metrics.addDimensions(dimensions);
  metrics.addMetric(name, unit, value);
  metrics.publishStoredMetrics();
}

/** Counts one occurrence, published at once (each count has its own dimensions, so none is buffered). */
export const count = (name: MetricName, dimensions: Record<string, string> = {}): void => emit(name, MetricUnit.Count, 1, dimensions);

/** Milliseconds from a message's acceptance to its hand-off to the provider (`DispatchLatency`). */
export const dispatchLatency = (ms: number): void => emit('DispatchLatency', MetricUnit.Milliseconds, ms, {});
