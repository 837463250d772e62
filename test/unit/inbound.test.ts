import { describe, expect, it } from 'vitest';
import { simulatedInboundMessage } from '../../lib/providers/simulated/inbound.js';
import { inboundDeps } from '../../lib/runtime/inbound.js';
import type { Container } from '../../lib/runtime/index.js';

const now = new Date('2026-12-01T12:00:00Z');
const parse = (body: object) =>
  simulatedInboundMessage(JSON.stringify({ from: '+15556667777', to: '+15550001111', ...body }), () => 'IN1', now);
const refusal = (body: object) => {
  try {
    parse(body);
  } catch (error) {
    return error;
  }
  throw new Error('accepted');
};

describe('the simulated inbound message (POST /dev/carrier/inbound)', () => {
  it.each(['1969-12-31T23:59:59Z', '0000-01-01T00:00:00Z', '9999-12-31T23:59:59Z', '2026-11-30T11:59:59Z', '2026-12-02T12:00:01Z'])(
    'refuses receivedAt %s, more than a day from now, with 400 naming the field',
    (receivedAt) =>
      expect(refusal({ text: 'x', id: 'abc', receivedAt })).toMatchObject({
        code: 'invalid',
        fields: [{ field: 'receivedAt', code: 'OutOfRange' }],
      }),
  );

  it('takes receivedAt within a day, and now when no id is given', () => {
    expect(parse({ text: 'x', id: 'abc', receivedAt: '2026-11-30T12:00:00Z' }).receivedAt).toBe('2026-11-30T12:00:00.000Z');
    expect(parse({ text: 'x' })).toMatchObject({ providerMessageId: 'IN1', receivedAt: now.toISOString() });
  });

  it("applies the send path's text rules: something visible, well-formed, at most 1,600 characters", () => {
    expect(refusal({ text: '\ud800' })).toMatchObject({ fields: [{ field: 'text', code: 'InvalidUnicode' }] });
    expect(refusal({ text: '\u200b \ufeff' })).toMatchObject({ fields: [{ field: 'text', code: 'NotEmpty' }] });
    expect(refusal({ text: 'x'.repeat(1601) })).toMatchObject({ fields: [{ field: 'text', code: 'MaximumLength' }] });
    expect(refusal({ text: 'x', id: 'abc' })).toMatchObject({ fields: [{ field: 'receivedAt' }] });
    expect(parse({ text: 'مرحبا \u202bRTL\u202c' }).text).toBe('مرحبا \u202bRTL\u202c');
  });
});

describe('inbound message ids', () => {
  const { inboundId } = inboundDeps({ table: { name: 't', client: {} } } as unknown as Container);
  const at = new Date('2026-01-01T00:00:00Z');

  it('are the same for a redelivery to one endpoint, and differ between endpoints for the same provider id', () => {
    expect(inboundId('ep_a', 'simulated', 'abc', at)).toBe(inboundId('ep_a', 'simulated', 'abc', at));
    expect(inboundId('ep_a', 'simulated', 'abc', at)).not.toBe(inboundId('ep_b', 'simulated', 'abc', at));
    expect(inboundId('ep_a', 'simulated', 'abc', at)).not.toBe(inboundId('ep_a', 'aws-sms', 'abc', at));
  });
});
