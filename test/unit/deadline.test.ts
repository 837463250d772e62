import type { Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { ANSWER_MARGIN_MS, timeLeft, withDeadline } from '../../lib/deadline.js';
import { loggedHandler } from '../../lib/log.js';
import { call } from '../../lib/store/table.js';

/** An operation that, like the SDK, runs until its abort signal fires. */
const hangsUntilAborted = ({ abortSignal }: { abortSignal?: AbortSignal }) =>
  new Promise<never>((_resolve, reject) => {
    abortSignal?.addEventListener('abort', () => reject(Object.assign(new Error('Request aborted'), { name: 'AbortError' })));
  });

describe('invocation deadlines', () => {
  it('aborts a DynamoDB call at the deadline and answers unavailable (503)', async () => {
    await expect(withDeadline(ANSWER_MARGIN_MS + 20, () => call(hangsUntilAborted))).rejects.toMatchObject({ code: 'unavailable' });
  });

  it('starts no call once the deadline has passed', async () => {
    let started = false;
    const late = withDeadline(ANSWER_MARGIN_MS, () =>
      call(async () => {
        started = true;
      }),
    );
    await expect(late).rejects.toMatchObject({ code: 'unavailable' });
    expect(started).toBe(false);
  });

  it('gives calls outside an invocation (scripts, tests) no deadline', () => {
    expect(timeLeft()).toBe(Number.POSITIVE_INFINITY);
  });

  it("derives the deadline from the invocation's remaining time", async () => {
    const context = { getRemainingTimeInMillis: () => 10_000, functionName: 'f', awsRequestId: 'r' } as unknown as Context;
    const left = await loggedHandler<unknown, number>().handler(async () => timeLeft())({}, context);
    expect(left).toBeLessThanOrEqual(10_000 - ANSWER_MARGIN_MS);
    expect(left).toBeGreaterThan(0);
  });
});
