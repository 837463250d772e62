import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FUZZ_RUNS, hostileCommand, hostileRequest, type HostileRequest } from '../support/hostile.js';
import { allItems, invokeFunction, ports } from '../support/stack.js';

/** Item counts by type: a refused request must change none of them. */
async function census(): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const item of await allItems()) counts.set(String(item.type), (counts.get(String(item.type)) ?? 0) + 1);
  return counts;
}

async function send(method: string, path: string, request: HostileRequest, token: string): Promise<number> {
  const headers: Record<string, string> = { authorization: `Bearer ${token}` };
  if (request.contentType) headers['content-type'] = request.contentType;
  if (request.extraHeader && request.extraHeader[0] !== 'authorization') headers[request.extraHeader[0]] = request.extraHeader[1];
  const response = await fetch(`http://127.0.0.1:${ports.http}${path}`, {
    method,
    headers,
    body: method === 'GET' ? undefined : request.body,
  });
  const text = await response.text();
  if (response.status >= 500) throw new Error(`${response.status} for ${JSON.stringify(request).slice(0, 300)}: ${text.slice(0, 300)}`);
  return response.status;
}

/**
 * Runs the hostile cases against one route: never a 5xx, and the table changes only by one
 * message per accepted send (in practice none: hostile input does not make a valid send).
 */
async function fuzzRoute(method: string, path: (i: number) => string, token = 'demo-user-key', reads = method === 'GET') {
  const before = await census();
  let accepted = 0;
  let i = 0;
  await fc.assert(
    fc.asyncProperty(hostileRequest, async (request) => {
      if ((await send(method, path(i++), request, token)) < 300) accepted++;
    }),
    { numRuns: FUZZ_RUNS },
  );
  const after = await census();
  expect(after.get('Message') ?? 0).toBe((before.get('Message') ?? 0) + (reads ? 0 : accepted));
  for (const [type, count] of after) if (type !== 'Message') expect([type, count]).toEqual([type, before.get(type)]);
}

describe(`bad input: ${FUZZ_RUNS} hostile cases per route, never a 5xx, nothing stored for a refusal`, () => {
  it('POST /sessions/{sessionId}/messages', () => fuzzRoute('POST', () => '/sessions/ses_other/messages'), 300_000);
  it('/messages (any verb)', () => fuzzRoute('PUT', () => '/messages'), 300_000);
  it(
    'POST /api/v1/messages/outgoing-to-device',
    () => fuzzRoute('POST', () => '/api/v1/messages/outgoing-to-device', 'demo-integrator-token'),
    300_000,
  );
  it(
    'ServiceStack pre-defined routes',
    () => fuzzRoute('POST', (i) => ['/api/SendMessage', '/xml/reply/SendMessage', '/json/reply/SendMessage'][i % 3]!),
    300_000,
  );
  const listValues = [
    '0',
    '-1',
    '1e9',
    '1000000000',
    'x',
    '%00',
    '',
    '[a,b]',
    'ep_demo,ep_other',
    'true',
    '2026-13-01',
    '9'.repeat(400),
    ',,,',
    '[[]]',
  ];
  const listNames = [
    'page',
    'countPerPage',
    'afterDate',
    'endpointIds',
    'customerIds',
    'conversationIds',
    'specificIds',
    'accountIds',
    'all',
    'simplifiedPaging',
    'sortField',
    'sortOrder',
  ];
  it(
    'GET /messages (ListMessages)',
    () =>
      fuzzRoute(
        'GET',
        (i) =>
          `/messages?${listNames[i % listNames.length]}=${encodeURIComponent(listValues[i % listValues.length]!)}&${listNames[(i * 7) % listNames.length]}=${encodeURIComponent(listValues[(i * 3) % listValues.length]!)}`,
      ),
    300_000,
  );
  it(
    'POST /json/reply/ListMessages (bodies)',
    () =>
      fuzzRoute('POST', (i) => ['/json/reply/ListMessages', '/xml/reply/ListMessages', '/api/ListMessages'][i % 3]!, 'demo-user-key', true),
    300_000,
  );
  it(
    'GET /sessions/{sessionId}/messages',
    () =>
      fuzzRoute(
        'GET',
        (i) => `/sessions/ses_demo/messages?limit=${encodeURIComponent(['0', '-1', '1e9', 'x', '%00', ''][i % 6]!)}&cursor=${i}`,
      ),
    300_000,
  );

  it('send-from-queue: hostile records are never stored, never crash', async () => {
    const before = await census();
    await fc.assert(
      fc.asyncProperty(fc.array(hostileCommand, { minLength: 1, maxLength: 5 }), async (bodies) => {
        // From the local SQS emulator's sender, which is bound to both demo accounts.
        const attributes = { SenderId: '000000000000' };
        const Records = bodies.map((body, n) => ({
          messageId: `fuzz-${n}-${Math.random()}`,
          attributes,
          body: typeof body === 'string' ? body : JSON.stringify(body),
        }));
        const response = await invokeFunction('send-from-queue', { Records });
        expect(response.status).toBe(200);
        // Refusals are dead-lettered (test/e2e/events.test.ts), unless the body holds characters that
        // SQS would never have delivered and so refuses on the dead-letter queue: those are retried.
        expect((await response.json()) as unknown).toEqual({ batchItemFailures: expect.any(Array) });
      }),
      { numRuns: FUZZ_RUNS },
    );
    expect(await census()).toEqual(before);
  }, 300_000);

  it('send-from-event: hostile events are dead-lettered at once (not retried), never stored, never crash', async () => {
    const before = await census();
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.string({ maxLength: 30 }), fc.constantFrom('SendMessage', 'OutgoingToDevice')),
        hostileCommand,
        async (detailType, detail) => {
          const response = await invokeFunction('send-from-event', {
            version: '0',
            id: `fuzz-${Math.random()}`,
            'detail-type': detailType,
            source: 'messaging-api',
            account: '000000000000',
            time: '',
            region: 'us-east-1',
            resources: [],
            detail,
          });
          expect(response.status).toBe(200);
          expect(response.headers.get('x-amz-function-error')).toBeNull();
          expect(await response.text()).not.toContain('errorMessage');
        },
      ),
      { numRuns: FUZZ_RUNS },
    );
    expect(await census()).toEqual(before);
  }, 300_000);
});
