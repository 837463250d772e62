import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { signedHeaders } from '../../lib/callbacks/deliver.js';
import { checkCallbackUrl, isPrivateAddress } from '../../lib/callbacks/url-safety.js';
import { outcomeOf, statusEvent, webhookId, type CallbackJob } from '../../lib/domain/callbacks.js';
import type { Delivery } from '../../lib/domain/delivery/delivery.js';
import { runAdmin } from '../../scripts/admin/cli.js';

const resolveTo = (...addresses: string[]) => async () => addresses;

describe('callback URL safety', () => {
  it.each(['127.0.0.1', '10.1.2.3', '172.16.0.1', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '::1', 'fe80::1', 'fd00::1', '::ffff:127.0.0.1', '::ffff:10.0.0.1'])(
    'treats %s as private',
    (address) => expect(isPrivateAddress(address)).toBe(true),
  );
  it.each(['93.184.216.34', '2606:2800:220:1:248:1893:25c8:1946', '::ffff:93.184.216.34'])('treats %s as public', (address) => expect(isPrivateAddress(address)).toBe(false));

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
    const code = await runAdmin(['callback', 'subscribe', '--account', 'acct_x', '--url', 'https://127.0.0.1/hook'], () => ({ table: undefined as never, now: () => new Date(), deployed: true }), {
      out: () => undefined,
      err: (t) => (err += t),
    });
    expect(code).toBe(2);
    expect(err).toMatch(/invalid url: .*private, loopback or link-local/);
  });
});

describe('callback events and attempts', () => {
  const delivery = (history: Delivery['history']): Delivery => ({
    messageId: 'm1', sessionId: 's1', accountId: 'a1', channel: 'SMS', provider: 'simulated', attemptId: 'e', invocationId: 'i', claimedAt: 'x', attempts: 1,
    segments: 2, encoding: 'GSM-7', status: history.filter((h) => h.applied).at(-1)!.status, statusUpdatedAt: 'x', history,
  });

  it('numbers a message\'s status changes and skips writes that changed nothing', () => {
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
    const job: CallbackJob = { subscriptionId: 'cb', accountId: 'a1', webhookId: 'msg_m1_3', payload: '{"type":"message.status"}', attempt: 1 };
    const headers = signedHeaders(job, [one!, two!], new Date());
    for (const secret of [one!, two!]) expect(new Webhook(secret).verify(job.payload, headers)).toEqual({ type: 'message.status' });
    expect(() => new Webhook('whsec_' + Buffer.alloc(24, 3).toString('base64')).verify(job.payload, headers)).toThrow();
  });
});
