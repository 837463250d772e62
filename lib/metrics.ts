import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';

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
  defaultDimensions: { function: process.env.AWS_LAMBDA_FUNCTION_NAME ?? 'local' },
});

/** Counts one occurrence, published at once (each count has its own dimensions, so none is buffered). */
export function count(name: MetricName, dimensions: Record<string, string> = {}): void {
  const single = metrics.singleMetric();
  for (const [key, value] of Object.entries(dimensions)) single.addDimension(key, value);
  single.addMetric(name, MetricUnit.Count, 1);
}

/** Milliseconds from a message's acceptance to its hand-off to the provider (`DispatchLatency`). */
export function dispatchLatency(ms: number): void {
  metrics.singleMetric().addMetric('DispatchLatency', MetricUnit.Milliseconds, ms);
}
