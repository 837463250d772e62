import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { attempt, signedHeaders } from '../../lib/callbacks/deliver.js';
import { checkCallbackUrl, isPrivateAddress } from '../../lib/callbacks/url-safety.js';
import {
  nextStep,
  outcomeOf,
  parseCallbackJob,
  NO_LIVE_SECRET,
  sendCallback,
  type AttemptOutcome,
  type CallbackJob,
  type SendCallbackDeps,
} from '../../lib/domain/callbacks/attempt.js';
import { receivedEvent, statusEvent, webhookId, type MessageEvent } from '../../lib/domain/callbacks/events.js';
import { fanOut, jobsFor } from '../../lib/domain/callbacks/fan-out.js';
import {
  newSubscription,
  parseEvents,
  rotateSecret,
  signingSecrets,
  subscriptionView,
  type Subscription,
} from '../../lib/domain/callbacks/subscriptions.js';
import { DomainError } from '../../lib/domain/errors.js';
import type { Delivery } from '../../lib/domain/delivery/delivery.js';
import { callbackSettings } from '../../lib/runtime/callbacks.js';
import { ConfigError, loadConfig } from '../../lib/runtime/config.js';
import { runAdmin } from '../../scripts/admin/cli.js';

const resolveTo =
  (...addresses: string[]) =>
  async () =>
    addresses;

describe('callback URL safety', () => {
  it.each([
    '127.0.0.1',
    '10.1.2.3',
    '172.16.0.1',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '::1',
    'fe80::1',
    'fd00::1',
    '::ffff:127.0.0.1',
    '::ffff:10.0.0.1',
  ])('treats %s as private', (address) => expect(isPrivateAddress(address)).toBe(true));
  it.each(['93.184.216.34', '2606:2800:220:1:248:1893:25c8:1946', '::ffff:93.184.216.34'])('treats %s as public', (address) =>
    expect(isPrivateAddress(address)).toBe(false),
  );

  // IPv6 forms that carry or reach an IPv4 address, and special IPv6 ranges (the review's L2).
  it.each([
    ['::ffff:0:a9fe:a9fe', 'IPv4-translated 169.254.169.254'],
    ['::ffff:0:127.0.0.1', 'IPv4-translated loopback, dotted'],
    ['::ffff:7f00:1', 'IPv4-mapped loopback, hex'],
    ['::7f00:1', 'IPv4-compatible loopback'],
    ['64:ff9b::a9fe:a9fe', 'NAT64 of 169.254.169.254'],
    ['64:ff9b::10.0.0.1', 'NAT64 of a private address'],
    ['64:ff9b:1::a9fe:a9fe', 'local-use NAT64'],
    ['2002:a9fe:a9fe::', '6to4 of 169.254.169.254'],
    ['2002:7f00:1::1', '6to4 of loopback'],
    ['2001:0:a9fe:a9fe::', 'Teredo'],
    ['2001:0:4136:e378:8000:63bf:3fff:fdd2', 'Teredo, a real-looking one'],
    ['fec0::1', 'site-local'],
    ['100::1', 'discard-only'],
    ['2001:db8::1', 'documentation'],
    ['3fff::1', 'documentation (RFC 9637)'],
    ['fe80::1%eth0', 'link-local with a zone'],
    ['192.0.2.1', 'documentation (IPv4)'],
    ['198.51.100.1', 'documentation (IPv4)'],
    ['203.0.113.1', 'documentation (IPv4)'],
  ])('treats %s as private (%s)', (address) => expect(isPrivateAddress(address)).toBe(true));

  it.each([
    ['64:ff9b::5db8:d822', 'NAT64 of a public address'],
    ['64:ff9b::93.184.216.34', 'NAT64 of a public address, dotted'],
    ['2002:5db8:d822::1', '6to4 of a public address'],
    ['::ffff:0:5db8:d822', 'IPv4-translated public address'],
    ['2a00:1450:4001:80b::200e', 'global unicast'],
  ])('treats %s as public (%s)', (address) => expect(isPrivateAddress(address)).toBe(false));

  it('refuses URLs and names that reach a private address through an IPv6 form', async () => {
    for (const url of [
      'https://[::ffff:0:a9fe:a9fe]/',
      'https://[2002:a9fe:a9fe::]/',
      'https://[2001:0:a9fe:a9fe::]/',
      'https://[fec0::1]/',
      'https://[64:ff9b::a9fe:a9fe]/',
    ]) {
      await expect(checkCallbackUrl(url, false)).rejects.toThrow(/private/);
    }
    await expect(
      checkCallbackUrl('https://hooks.example/', false, resolveTo('2606:2800:220:1:248:1893:25c8:1946', '2002:a00:1::')),
    ).rejects.toThrow(/private/);
  });

  it('refuses http, loopback, private and link-local targets in a deployed stage, and names that resolve to them (rebinding)', async () => {
    await expect(checkCallbackUrl('http://example.com/hook', false, resolveTo('93.184.216.34'))).rejects.toThrow(/https/);
    await expect(checkCallbackUrl('https://127.0.0.1/hook', false)).rejects.toThrow(/private/);
    await expect(checkCallbackUrl('https://[::1]/hook', false)).rejects.toThrow(/private/);
    await expect(checkCallbackUrl('https://169.254.169.254/latest', false)).rejects.toThrow(/private/);
    await expect(checkCallbackUrl('https://rebind.example/hook', false, resolveTo('93.184.216.34', '10.0.0.5'))).rejects.toThrow(/private/);
    await expect(checkCallbackUrl('https://user:pw@example.com/hook', false, resolveTo('93.184.216.34'))).rejects.toThrow(/credentials/);
    expect((await checkCallbackUrl('https://example.com/hook', false, resolveTo('93.184.216.34'))).address).toBe('93.184.216.34');
  });

  it('allows a loopback receiver over http locally', async () => {
    expect((await checkCallbackUrl('http://127.0.0.1:9999/hook', true)).address).toBe('127.0.0.1');
  });

  it('refuses a private URL when subscribing against a deployed stage (the CLI with --stage)', async () => {
    let err = '';
    const code = await runAdmin(
      ['callback', 'subscribe', '--account', 'acct_x', '--url', 'https://127.0.0.1/hook'],
      () => ({ table: undefined as never, now: () => new Date(), deployed: true }),
      {
        out: () => undefined,
        err: (t) => (err += t),
      },
    );
    expect(code).toBe(2);
    expect(err).toMatch(/invalid url: .*private, loopback or link-local/);
  });
});

describe('callback events and attempts', () => {
  const delivery = (history: Delivery['history']): Delivery => ({
    messageId: 'm1',
    sessionId: 's1',
    accountId: 'a1',
    channel: 'SMS',
    provider: 'simulated',
    attemptId: 'e',
    invocationId: 'i',
    claimedAt: 'x',
    attempts: 1,
    segments: 2,
    encoding: 'GSM-7',
    status: history.filter((h) => h.applied).at(-1)!.status,
    statusUpdatedAt: 'x',
    history,
  });

  it("numbers a message's status changes and skips writes that changed nothing", () => {
    const base = [
      { status: 'accepted' as const, date: 'd0', source: 'dispatch', applied: true },
      { status: 'sending' as const, date: 'd1', source: 'dispatch', applied: true },
      { status: 'sent' as const, date: 'd2', source: 'dispatch', applied: true },
    ];
    const event = statusEvent(delivery(base))!;
    expect(event.data).toMatchObject({ status: 'sent', previousStatus: 'sending', sequence: 3, segments: 2 });
    expect(webhookId(event)).toBe('msg_m1_3');
    expect(statusEvent(delivery([...base, { status: 'sending', date: 'd3', source: 'simulated', applied: false }]))).toBeUndefined();
  });

  it('succeeds on 2xx only, retries 408, 429 and 5xx, gives up on other answers (redirects included)', () => {
    expect([200, 204, 299].map((s) => outcomeOf(s).kind)).toEqual(['delivered', 'delivered', 'delivered']);
    expect([408, 429, 500, 503].map((s) => outcomeOf(s).kind)).toEqual(['retry', 'retry', 'retry', 'retry']);
    expect([301, 302, 400, 401, 404, 410].map((s) => outcomeOf(s).kind)).toEqual(['final', 'final', 'final', 'final', 'final', 'final']);
  });

  it('signs per Standard Webhooks: the package verifies it with each live secret', () => {
    const [one, two] = ['whsec_' + Buffer.alloc(24, 1).toString('base64'), 'whsec_' + Buffer.alloc(24, 2).toString('base64')];
    const job: CallbackJob = {
      subscriptionId: 'cb',
      accountId: 'a1',
      webhookId: 'msg_m1_3',
      payload: '{"type":"message.status"}',
      attempt: 1,
    };
    const headers = signedHeaders(job, [one!, two!], new Date());
    for (const secret of [one!, two!]) expect(new Webhook(secret).verify(job.payload, headers)).toEqual({ type: 'message.status' });
    expect(() => new Webhook('whsec_' + Buffer.alloc(24, 3).toString('base64')).verify(job.payload, headers)).toThrow();
  });
});

const subscription = (id: string, events: Subscription['events'], accountId = 'a1'): Subscription => ({
  subscriptionId: id,
  accountId,
  url: `https://hooks.example/${id}`,
  events,
  secrets: [{ secret: `whsec_${id}`, createdAt: 'x' }],
  createdAt: 'x',
});
const event = (type: MessageEvent['type'], accountId = 'a1'): MessageEvent => ({
  type,
  timestamp: 't',
  data: {
    messageId: 'm1',
    accountId,
    sessionId: 's1',
    status: 'received',
    previousStatus: null,
    errorCode: null,
    errorMessage: null,
    segments: null,
    sequence: 2,
  },
});

describe('callback fan-out', () => {
  it('gives an event to each subscription of its account that asked for its type, one job each with the same body and webhook-id', () => {
    const subscriptions = [
      subscription('cb_all', ['message.status', 'message.received']),
      subscription('cb_status', ['message.status']),
      subscription('cb_other', ['message.received'], 'a2'),
    ];
    const jobs = jobsFor(event('message.received'), subscriptions);
    expect(jobs).toEqual([
      { subscriptionId: 'cb_all', accountId: 'a1', webhookId: 'msg_m1_2', payload: JSON.stringify(event('message.received')), attempt: 1 },
    ]);
    expect(jobsFor(event('message.status'), subscriptions).map((j) => j.subscriptionId)).toEqual(['cb_all', 'cb_status']);
    expect(jobsFor(event('message.status'), [])).toEqual([]);
  });

  it("reads the subscriptions of the event's account and enqueues its jobs", async () => {
    const asked: string[] = [];
    const enqueued: CallbackJob[][] = [];
    const jobs = await fanOut(
      {
        subscriptions: { listSubscriptions: async (accountId) => (asked.push(accountId), [subscription('cb_1', ['message.received'])]) },
        queue: { enqueue: async (j) => void enqueued.push(j) },
      },
      receivedEvent({
        id: 'm9',
        accountId: 'a1',
        sessionId: 's1',
        date: '2026-12-01T00:00:00.000Z',
        direction: 'Incoming',
        text: 'hi',
      } as never),
    );
    expect(asked).toEqual(['a1']);
    expect(enqueued).toEqual([jobs]);
    expect(jobs.map((j) => j.webhookId)).toEqual(['msg_m9_1']);
  });
});

describe('the callback attempt rule', () => {
  const job: CallbackJob = { subscriptionId: 'cb_1', accountId: 'a1', webhookId: 'msg_m1_2', payload: '{}', attempt: 1 };
  const schedule = [10, 60];
  const retry: AttemptOutcome = { kind: 'retry', reason: 'HTTP 503' };

  it("is done when delivered, retries after the schedule's step with the next attempt number, dead-letters when the schedule is over", () => {
    expect(nextStep(job, { kind: 'delivered', status: 204 }, schedule)).toEqual({ kind: 'done' });
    expect(nextStep(job, retry, schedule)).toEqual({ kind: 'retry', delaySeconds: 10, job: { ...job, attempt: 2 } });
    expect(nextStep({ ...job, attempt: 2 }, retry, schedule)).toEqual({ kind: 'retry', delaySeconds: 60, job: { ...job, attempt: 3 } });
    expect(nextStep({ ...job, attempt: 3 }, retry, schedule)).toEqual({ kind: 'dead-letter', reason: 'HTTP 503' });
    expect(nextStep(job, retry, [])).toEqual({ kind: 'dead-letter', reason: 'HTTP 503' });
  });

  it('dead-letters a final outcome at once, with its reason', () => {
    expect(nextStep(job, { kind: 'final', reason: 'HTTP 410' }, schedule)).toEqual({ kind: 'dead-letter', reason: 'HTTP 410' });
  });

  it('parses a queued job, and refuses a body that is not one', () => {
    expect(parseCallbackJob(JSON.stringify(job))).toEqual(job);
    expect(() => parseCallbackJob(JSON.stringify({ ...job, attempt: 0 }))).toThrow();
    expect(() => parseCallbackJob('{"subscriptionId":"cb_1"}')).toThrow();
    expect(() => parseCallbackJob('not json')).toThrow();
  });

  const deps = (outcome: AttemptOutcome, found: Subscription | null = subscription('cb_1', ['message.status'])) => {
    const calls: unknown[][] = [];
    const d: SendCallbackDeps = {
      subscriptions: { getSubscription: async () => found ?? undefined },
      queue: {
        retry: async (...args) => void calls.push(['retry', ...args]),
        deadLetter: async (...args) => void calls.push(['deadLetter', ...args]),
      },
      attempt: async (...args) => (calls.push(['attempt', ...args]), outcome),
      clock: { now: () => new Date('2026-12-01T00:00:00Z') },
      schedule,
    };
    return { d, calls };
  };

  it("POSTs to the subscription's URL with its live secrets, then queues what the rule says", async () => {
    const delivered = deps({ kind: 'delivered', status: 200 });
    expect(await sendCallback(delivered.d, job)).toEqual({
      kind: 'attempted',
      outcome: { kind: 'delivered', status: 200 },
      next: { kind: 'done' },
    });
    expect(delivered.calls).toEqual([['attempt', 'https://hooks.example/cb_1', job, ['whsec_cb_1'], new Date('2026-12-01T00:00:00Z')]]);

    const retried = deps(retry);
    await sendCallback(retried.d, job);
    expect(retried.calls.slice(1)).toEqual([['retry', { ...job, attempt: 2 }, 10]]);

    const failed = deps({ kind: 'final', reason: 'HTTP 404' });
    await sendCallback(failed.d, { ...job, attempt: 2 });
    expect(failed.calls.slice(1)).toEqual([['deadLetter', { ...job, attempt: 2 }, 'HTTP 404']]);
  });

  it('never sends unsigned: a subscription with no live secret dead-letters the job, with why, without an attempt', async () => {
    const expired = {
      ...subscription('cb_1', ['message.status']),
      secrets: [{ secret: 'whsec_old', createdAt: '2026-01-01T00:00:00Z', expiresAt: 1 }],
    };
    const { d, calls } = deps({ kind: 'delivered', status: 200 }, expired);
    expect(await sendCallback(d, job)).toMatchObject({ next: { kind: 'dead-letter', reason: NO_LIVE_SECRET } });
    expect(calls).toEqual([['deadLetter', job, NO_LIVE_SECRET]]);
    expect(() => signedHeaders(job, [], new Date())).toThrow();
  });

  it('drops the job of a deleted subscription without an attempt', async () => {
    const gone = deps({ kind: 'delivered', status: 200 }, null);
    expect(await sendCallback(gone.d, job)).toEqual({ kind: 'dropped' });
    expect(gone.calls).toEqual([]);
  });
});

describe('callback secrets', () => {
  const at = new Date('2026-12-01T00:00:00Z');
  const epoch = at.getTime() / 1000;

  it('issues a whsec_ secret of 24 random bytes with a new subscription, shown afterwards as a hint only', () => {
    const { secret, subscription: created } = newSubscription(
      { subscriptionId: 'cb_1', accountId: 'a1', url: 'https://hooks.example/', events: ['message.status'] },
      at,
    );
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    expect(Buffer.from(secret.slice(6), 'base64')).toHaveLength(24);
    expect(created.secrets).toEqual([{ secret, createdAt: at.toISOString() }]);
    expect(newSubscription({ ...created }, at).secret).not.toBe(secret);
    expect(JSON.stringify(subscriptionView(created))).not.toContain(secret);
    expect(subscriptionView(created).secrets).toEqual([{ hint: `${secret.slice(0, 10)}…`, createdAt: at.toISOString() }]);
  });

  it('takes each known event type once, and refuses none or an unknown one', () => {
    expect(parseEvents(['message.status', 'message.status', 'message.received'])).toEqual(['message.status', 'message.received']);
    expect(() => parseEvents([])).toThrow(DomainError);
    expect(() => parseEvents(['message.sent'])).toThrow(DomainError);
  });

  it('rotates: the new secret first, the live old ones until the overlap ends (never later than before), the expired ones dropped', () => {
    const before: Subscription = {
      ...subscription('cb_1', ['message.status']),
      secrets: [
        { secret: 'whsec_current', createdAt: 'c' },
        { secret: 'whsec_ending', createdAt: 'b', expiresAt: epoch + 30 },
        { secret: 'whsec_expired', createdAt: 'a', expiresAt: epoch },
      ],
    };
    const { secret, subscription: rotated } = rotateSecret(before, at, 3600);
    expect(rotated.secrets).toEqual([
      { secret, createdAt: at.toISOString() },
      { secret: 'whsec_current', createdAt: 'c', expiresAt: epoch + 3600 },
      { secret: 'whsec_ending', createdAt: 'b', expiresAt: epoch + 30 },
    ]);
    expect(signingSecrets(rotated, at)).toEqual([secret, 'whsec_current', 'whsec_ending']);
    expect(signingSecrets(rotated, new Date(at.getTime() + 30_000))).toEqual([secret, 'whsec_current']);
    expect(signingSecrets(rotated, new Date(at.getTime() + 3600_000))).toEqual([secret]);
  });
});

describe('a callback whose name does not resolve', () => {
  const job: CallbackJob = { subscriptionId: 'cb_1', accountId: 'a1', webhookId: 'msg_m1_1', payload: '{}', attempt: 1 };
  const failing = (code: string) => async () => {
    throw Object.assign(new Error(`getaddrinfo ${code} hooks.example`), { code });
  };
  const options = { allowPrivate: false, timeoutMs: 200 };

  // SERVFAIL and timeouts pass; a name that does not exist may exist a minute later (a DNS change propagating).
  it.each(['EAI_AGAIN', 'ESERVFAIL', 'ETIMEOUT', 'ENOTFOUND'])('retries a lookup failing with %s like a network error', async (code) => {
    const outcome = await attempt('https://hooks.example/x', job, [], new Date(), { ...options, resolve: failing(code) });
    expect(outcome).toEqual({ kind: 'retry', reason: expect.stringContaining(code) });
    expect(nextStep(job, outcome, [10]).kind).toBe('retry');
  });

  it("retries a lookup that finds no address, and one that never answers within the attempt's timeout", async () => {
    expect(await attempt('https://hooks.example/x', job, [], new Date(), { ...options, resolve: async () => [] })).toMatchObject({
      kind: 'retry',
    });
    expect(
      await attempt('https://hooks.example/x', job, [], new Date(), { ...options, resolve: () => new Promise(() => undefined) }),
    ).toMatchObject({ kind: 'retry' });
  });

  it('still gives up at once on a name that resolves to a private address', async () => {
    expect(await attempt('https://hooks.example/x', job, [], new Date(), { ...options, resolve: resolveTo('10.0.0.1') })).toMatchObject({
      kind: 'final',
    });
  });
});

describe('callback settings', () => {
  it("refuses CALLBACK_ALLOW_PRIVATE=true outside the local stack, whatever the deployer's shell held", () => {
    for (const env of [
      { CALLBACK_ALLOW_PRIVATE: 'true' },
      { CALLBACK_ALLOW_PRIVATE: 'true', AWS_LAMBDA_FUNCTION_NAME: 'messaging-api-prod-callback-send' },
      { CALLBACK_ALLOW_PRIVATE: 'true', IS_OFFLINE: 'false' },
    ]) {
      expect(() => callbackSettings(loadConfig(env))).toThrow(ConfigError);
      expect(() => callbackSettings(loadConfig(env))).toThrow(/CALLBACK_ALLOW_PRIVATE/);
    }
  });

  it('allows private targets in the local stack (serverless-offline sets IS_OFFLINE), and never by default', () => {
    expect(callbackSettings(loadConfig({ CALLBACK_ALLOW_PRIVATE: 'true', IS_OFFLINE: 'true' })).allowPrivate).toBe(true);
    expect(callbackSettings(loadConfig({})).allowPrivate).toBe(false);
    expect(callbackSettings(loadConfig({ CALLBACK_ALLOW_PRIVATE: 'false' })).allowPrivate).toBe(false);
  });
});
