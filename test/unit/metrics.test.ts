import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { notFound } from '../../lib/domain/errors.js';
import { httpHandler } from '../../lib/wire/handler.js';
import { settle } from '../../lib/wire/events.js';
import { renderError } from '../../lib/wire/servicestack/respond.js';

/** The embedded-metric-format lines written to stdout while `action` runs: metric name and its dimensions' values. */
async function emitted(action: () => Promise<unknown>): Promise<{ metric: string; dimensions: Record<string, unknown> }[]> {
  const lines: string[] = [];
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => (lines.push(String(chunk)), true));
  try {
    await action().catch(() => undefined);
  } finally {
    write.mockRestore();
  }
  return lines
    .flatMap((line) => line.split('\n'))
    .filter((line) => line.includes('"_aws"'))
    .map((line) => JSON.parse(line))
    .map((emf) => {
      const { Metrics, Dimensions } = emf._aws.CloudWatchMetrics[0];
      return {
        metric: Metrics[0].Name,
        dimensions: Object.fromEntries((Dimensions[0] as string[]).map((name) => [name, emf[name]])),
        namespace: emf._aws.CloudWatchMetrics[0].Namespace,
      };
    });
}

const context = { getRemainingTimeInMillis: () => 5000, functionName: 'f', awsRequestId: 'r' } as unknown as Context;
const event = {
  rawPath: '/messages',
  requestContext: { http: { method: 'POST', path: '/messages' } },
  headers: {},
  body: '',
} as unknown as APIGatewayProxyEventV2;

describe('metrics (CloudWatch embedded metric format, no API call)', () => {
  afterEach(() => vi.restoreAllMocks());

  it('counts an accepted request, and a refused one by its error code', async () => {
    const ok = httpHandler(async () => ({ statusCode: 200, headers: {}, body: '' }), renderError);
    const refused = httpHandler(async () => Promise.reject(notFound('Session')), renderError);
    const broken = httpHandler(async () => Promise.reject(new Error('bug')), renderError);
    expect(await emitted(() => ok(event, context))).toEqual([
      { metric: 'Accepted', dimensions: { service: 'messaging-api', function: 'local' }, namespace: 'messaging-api' },
    ]);
    expect(await emitted(() => refused(event, context))).toMatchObject([{ metric: 'Refused', dimensions: { code: 'not-found' } }]);
    expect(await emitted(() => broken(event, context))).toMatchObject([{ metric: 'Refused', dimensions: { code: 'internal' } }]);
    // One Metrics instance publishes every count: a refusal's code is not left on the next one.
    expect(await emitted(() => ok(event, context))).toEqual([
      { metric: 'Accepted', dimensions: { service: 'messaging-api', function: 'local' }, namespace: 'messaging-api' },
    ]);
  });

  it('counts events stored, refused for good and failed for now', async () => {
    const delivery = { messageId: 'm' };
    const deadLetter = vi.fn(async () => undefined);
    expect(await emitted(() => settle(async () => undefined, deadLetter, '{}', delivery))).toMatchObject([{ metric: 'EventAccepted' }]);
    expect(await emitted(() => settle(() => Promise.reject(notFound('Session')), deadLetter, '{}', delivery))).toMatchObject([
      { metric: 'EventRefused', dimensions: { code: 'not-found' } },
    ]);
    expect(await emitted(() => settle(() => Promise.reject(new Error('down')), deadLetter, '{}', delivery))).toMatchObject([
      { metric: 'EventFailed', dimensions: { code: 'internal' } },
    ]);
  });
});
