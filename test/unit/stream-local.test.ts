import { marshall } from '@aws-sdk/util-dynamodb';
import { describe, expect, it } from 'vitest';
import { matchesPattern, streamSource } from '../../scripts/stream-local.js';

/** The local stream poller applies dispatch's filter from serverless.yml as Lambda's event filtering would. */
describe("dispatch's stream filter, as the local poller applies it", () => {
  const source = streamSource('dispatch');
  const record = (eventName: string, image: object) => ({ eventName, dynamodb: { NewImage: marshall(image) } });
  const passes = (r: object) => source.filterPatterns.some((pattern) => matchesPattern(pattern, r));

  it('passes only the insert of an outgoing message', () => {
    expect(source).toMatchObject({ batchSize: 10, maximumRetryAttempts: 5 });
    expect(passes(record('INSERT', { type: 'Message', direction: 'Outgoing', id: 'x' }))).toBe(true);
    expect(passes(record('INSERT', { type: 'Message', direction: 'Incoming', id: 'x' }))).toBe(false);
    expect(passes(record('MODIFY', { type: 'Message', direction: 'Outgoing', id: 'x' }))).toBe(false);
    expect(passes(record('INSERT', { type: 'Delivery', status: 'sending' }))).toBe(false);
    expect(passes(record('INSERT', { type: 'Session' }))).toBe(false);
  });
});
