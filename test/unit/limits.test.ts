import { describe, expect, it } from 'vitest';
import { DomainError } from '../../lib/domain/errors.js';
import { sendToDevice } from '../../lib/domain/edna/send-to-device.js';
import { parseOutgoingToDevice } from '../../lib/domain/edna/outgoing-to-device.js';
import { limitsGuard, DEFAULT_DAILY_QUOTA, parseLimitsChange, type AccountLimitSettings } from '../../lib/domain/limits/limits.js';
import { batchedQuota, QUOTA_FLUSH_MS } from '../../lib/domain/limits/quota.js';
import { rateLimited, tokenBuckets } from '../../lib/domain/limits/rate.js';
import type { SendGuard } from '../../lib/domain/limits/guard.js';
import { countryOf } from '../../lib/domain/phone.js';
import { sendMessage } from '../../lib/domain/send.js';
import { toResponseStatus } from '../../lib/wire/servicestack/errors.js';
import { renderEdnaError } from '../../lib/wire/edna/errors.js';
import { renderError } from '../../lib/wire/servicestack/respond.js';
import { endpoint, memoryDeps, session } from '../support/memory.js';

const principal = { accountId: 'acct_1', roles: ['User' as const, 'INTEGRATOR' as const] };

async function refusal(promise: Promise<unknown>): Promise<DomainError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DomainError);
  return error as DomainError;
}

/** A shared counter as the table keeps it, counting its calls. */
function memoryQuotaStore() {
  const totals = new Map<string, number>();
  const calls: [string, string, number][] = [];
  return {
    calls,
    totals,
    add: async (accountId: string, day: string, count: number) => {
      calls.push([accountId, day, count]);
      const total = (totals.get(`${accountId}|${day}`) ?? 0) + count;
      totals.set(`${accountId}|${day}`, total);
      return total;
    },
  };
}

function guarded(settings: Partial<AccountLimitSettings> = {}) {
  const memory = memoryDeps({ endpoints: [endpoint], sessions: [session] });
  const clock = { time: Date.parse('2026-01-02T03:04:05.678Z') };
  const quotaStore = memoryQuotaStore();
  const guard = limitsGuard({
    limits: { getLimits: async () => ({ endpointAddresses: [endpoint.address], ...settings }) },
    quota: batchedQuota(quotaStore, () => clock.time),
  });
  const deps = { ...memory.deps, guards: [guard] };
  const ednaDeps = { ...memory.ednaDeps, guards: [guard] };
  return { ...memory, deps, ednaDeps, quotaStore, clock };
}

const peer = (toAddress: string) => ({ kind: 'peer' as const, endpointId: 'ep_1', toAddress });
const edna = (channelType: string, deviceAddress: string) =>
  parseOutgoingToDevice({ text: 'x', clientApplicationDescriptor: { channelType, deviceAddress } });

describe('countryOf', () => {
  it("names a number's country, the calling code's main country for unassigned ranges, and +code for international networks", () => {
    expect(countryOf('+14165551234')).toBe('CA');
    expect(countryOf('+15550001111')).toBe('US');
    expect(countryOf('+447700900123')).toBe('GB');
    expect(countryOf('+79001234567')).toBe('RU');
    expect(countryOf('+88212345678')).toBe('+882');
  });
});

describe('destination countries', () => {
  it("allows by default the countries of the account's endpoints' numbers", async () => {
    const { deps, messages } = guarded();
    await sendMessage(deps, principal, peer('+15557778888'), 'hi');
    const error = await refusal(sendMessage(deps, principal, peer('+447700900123'), 'hi'));
    expect(error.code).toBe('forbidden');
    expect(error.fields).toEqual([
      {
        field: 'toAddress',
        code: 'DestinationNotAllowed',
        message: "'toAddress' is in GB, which this account may not send to (allowed: US).",
      },
    ]);
    expect(messages).toHaveLength(1);
  });

  it('uses the countries an operator set instead, and never allows an international network', async () => {
    const { deps, messages } = guarded({ countries: ['GB'] });
    await sendMessage(deps, principal, peer('+447700900123'), 'hi');
    expect((await refusal(sendMessage(deps, principal, peer('+15557778888'), 'hi'))).fields[0]!.code).toBe('DestinationNotAllowed');
    expect((await refusal(sendMessage(deps, principal, peer('+88212345678'), 'hi'))).message).toContain('the network +882');
    expect(messages).toHaveLength(1);
  });

  it("checks a session's peer too, naming sessionId", async () => {
    const { deps, messages } = guarded({ countries: ['CA'] });
    const error = await refusal(sendMessage(deps, principal, { kind: 'session', sessionId: 'ses_1' }, 'hi'));
    expect(error.fields[0]).toMatchObject({ field: 'sessionId', code: 'DestinationNotAllowed' });
    expect(messages).toHaveLength(0);
  });

  it('checks edna SMS devices, naming the descriptor field; WhatsApp and id channels are not billed by country', async () => {
    const { ednaDeps, messages, ednaClients } = guarded();
    const error = await refusal(sendToDevice(ednaDeps, principal, edna('SMS', '79001234567')));
    expect(error.fields[0]).toMatchObject({ field: 'clientApplicationDescriptor.deviceAddress', code: 'DestinationNotAllowed' });
    expect(messages).toHaveLength(0);
    expect(ednaClients.size).toBe(0);
    await sendToDevice(ednaDeps, principal, edna('SMS', '15557778888'));
    await sendToDevice(ednaDeps, principal, edna('WHATSAPP', '79001234567'));
    await sendToDevice(ednaDeps, principal, edna('TELEGRAM', 'someone'));
    expect(messages).toHaveLength(3);
  });

  it('runs every guard given, in order, before anything is stored (the hook other checks slot into)', async () => {
    const { deps, messages } = memoryDeps({ sessions: [session] });
    const seen: string[] = [];
    const optedOut: SendGuard = {
      check: async (send) => {
        seen.push(`${send.accountId} ${send.channel} ${send.to} ${send.field}`);
        throw new DomainError('forbidden', 'opted out');
      },
    };
    await refusal(sendMessage({ ...deps, guards: [optedOut] }, principal, { kind: 'session', sessionId: 'ses_1' }, 'hi'));
    expect(seen).toEqual(['acct_1 SMS +15556667777 sessionId']);
    expect(messages).toHaveLength(0);
  });
});

describe('daily quota', () => {
  it('refuses the send past the quota with QuotaExceeded, the limit and the reset, storing nothing', async () => {
    const { deps, messages } = guarded({ dailyQuota: 2 });
    const send = () => sendMessage(deps, principal, { kind: 'session', sessionId: 'ses_1' }, 'hi');
    await send();
    await send();
    const error = await refusal(send());
    expect(error).toMatchObject({ code: 'too-many-requests', reason: 'QuotaExceeded', retryAfterSeconds: 75_355 });
    expect(error.message).toBe("This account's daily quota of 2 messages is used up; it resets at 2026-01-03T00:00:00.000Z.");
    expect(messages).toHaveLength(2);
  });

  it('defaults to DEFAULT_DAILY_QUOTA and writes the count in batches: one ADD per 100 sends or 10 s', async () => {
    const { deps, quotaStore, clock } = guarded();
    expect(DEFAULT_DAILY_QUOTA).toBe(10_000);
    for (let i = 0; i < 150; i++) await sendMessage(deps, principal, { kind: 'session', sessionId: 'ses_1' }, `m${i}`);
    // The first send writes itself and reads the shared total; the 101st writes the hundred since.
    expect(quotaStore.calls).toEqual([
      ['acct_1', '2026-01-02', 1],
      ['acct_1', '2026-01-02', 100],
    ]);
    clock.time += QUOTA_FLUSH_MS;
    await sendMessage(deps, principal, { kind: 'session', sessionId: 'ses_1' }, 'later');
    expect(quotaStore.calls.at(-1)).toEqual(['acct_1', '2026-01-02', 50]);
  });

  it('counts a small quota exactly across containers, overshoots a large one by at most a batch each, and starts again each UTC day', async () => {
    const store = memoryQuotaStore();
    const clock = { time: Date.parse('2026-01-02T23:59:00Z') };
    const [a, b] = [batchedQuota(store, () => clock.time), batchedQuota(store, () => clock.time)];
    const exceeded = (spent: Promise<void>) => refusal(spent).then((e) => expect(e.reason).toBe('QuotaExceeded'));
    // Under 100 a day, every send writes (1% of it rounds to one): the total decides.
    for (const container of [a, b, a]) await container.spend('acct_small', 3);
    await exceeded(b.spend('acct_small', 3));
    await exceeded(a.spend('acct_small', 3));

    // 200 a day: batches of two. a holds one unwritten send that b does not see.
    for (let i = 0; i < 198; i++) await a.spend('acct_big', 200);
    for (let i = 0; i < 3; i++) await b.spend('acct_big', 200);
    await exceeded(b.spend('acct_big', 200));
    // 201 admitted: the overshoot is a's one unwritten send.
    expect(store.totals.get('acct_big|2026-01-02')).toBe(200);
    await exceeded(a.spend('acct_big', 200));

    clock.time += 60_000;
    await b.spend('acct_small', 3);
    expect(store.totals.get('acct_small|2026-01-03')).toBe(1);
  });

  it('answers 429 with Retry-After in both families, and names the reason', () => {
    const error = new DomainError('too-many-requests', 'used up', [], { reason: 'QuotaExceeded', retryAfterSeconds: 600 });
    expect(toResponseStatus(error)).toEqual({ status: 429, responseStatus: { errorCode: 'QuotaExceeded', message: 'used up' } });
    const request = {
      method: 'POST',
      path: '/messages',
      headers: {},
      query: {},
      pathParameters: {},
      body: '',
      isBase64Encoded: false,
    } as never;
    expect(renderError(error, request)).toMatchObject({ statusCode: 429, headers: { 'retry-after': '600' } });
    const edna = renderEdnaError(error, undefined);
    expect(edna).toMatchObject({ statusCode: 429, headers: { 'retry-after': '600' } });
    expect(JSON.parse(edna.body)).toMatchObject({ status: 429, error: 'Too Many Requests', message: 'used up' });
  });
});

describe('per-account rate limit', () => {
  it('gives each account a burst, refilled at the rate, and answers how long to wait', () => {
    const clock = { time: 0 };
    const buckets = tokenBuckets({ perSecond: 2, burst: 3 }, () => clock.time);
    expect([1, 2, 3].map(() => buckets.take('a'))).toEqual([0, 0, 0]);
    expect(buckets.take('a')).toBe(500);
    expect(buckets.take('b')).toBe(0);
    clock.time += 500;
    expect(buckets.take('a')).toBe(0);
  });

  it('spends tokens only for known secrets: a flood of unknown ones costs no tenant anything', async () => {
    const credential = { accountId: 'acct_1', roles: ['User' as const] };
    const store = rateLimited(
      { getCredential: async (hash) => (hash === 'good' ? credential : undefined) },
      tokenBuckets({ perSecond: 1, burst: 1 }, () => 0),
    );
    for (let i = 0; i < 100; i++) expect(await store.getCredential(`junk${i}`)).toBeUndefined();
    expect(await store.getCredential('good')).toBe(credential);
    const error = await refusal(store.getCredential('good'));
    expect(error).toMatchObject({ code: 'too-many-requests', reason: 'TooManyRequests', retryAfterSeconds: 1 });
  });
});

describe('account limits (CLI)', () => {
  it('reads countries and a quota, "default" for either, and refuses what is not a country or a count', () => {
    expect(parseLimitsChange({ countries: 'us, ca,US', dailyQuota: '5000' })).toEqual({ countries: ['CA', 'US'], dailyQuota: 5000 });
    expect(parseLimitsChange({ countries: 'default', dailyQuota: 'default' })).toEqual({ countries: null, dailyQuota: null });
    expect(parseLimitsChange({})).toEqual({});
    expect(() => parseLimitsChange({ countries: 'US,XX' })).toThrow(
      expect.objectContaining({ fields: [expect.objectContaining({ field: 'countries' })] }),
    );
    expect(() => parseLimitsChange({ dailyQuota: '-1' })).toThrow(
      expect.objectContaining({ fields: [expect.objectContaining({ field: 'dailyQuota' })] }),
    );
  });
});
