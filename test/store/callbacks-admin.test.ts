import { ulid } from 'ulid';
import { describe, expect, it } from 'vitest';
import { admin } from '../support/admin.js';
import { getSubscription } from '../../lib/store/callbacks.js';
import { table } from '../support/stack.js';

describe('messaging-admin callback', () => {
  const account = `acct_${ulid()}`;

  it('subscribes an existing account, shows the whsec_ secret once, lists hints only, rotates with overlap, deletes', async () => {
    expect(await admin('callback', 'subscribe', '--account', 'acct_nobody', '--url', 'http://127.0.0.1:9/hook')).toMatchObject({ code: 1 });
    await admin('account', 'create', account, '--name', 'Hooks');
    expect(
      await admin('callback', 'subscribe', '--account', account, '--url', 'http://127.0.0.1:9/hook', '--events', 'message.sent'),
    ).toMatchObject({ code: 2, err: expect.stringContaining('invalid events') });
    const created = await admin('callback', 'subscribe', '--account', account, '--url', 'http://127.0.0.1:9/hook', '--json');
    expect(created.code).toBe(0);
    const { secret, subscription } = created.json;
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    expect(subscription).toMatchObject({
      accountId: account,
      url: 'http://127.0.0.1:9/hook',
      events: ['message.status', 'message.received'],
    });

    const listed = await admin('callback', 'list', '--account', account);
    expect(listed.out).not.toContain(secret);
    expect(listed.out).toContain(secret.slice(0, 10));

    const rotated = await admin('callback', 'rotate', subscription.subscriptionId, '--account', account, '--overlap', '1h', '--json');
    expect(rotated.json.secret).not.toBe(secret);
    const stored = await getSubscription(table, account, subscription.subscriptionId, true);
    expect(stored!.secrets.map((s) => s.secret)).toEqual([rotated.json.secret, secret]);
    expect(stored!.secrets[1]!.expiresAt).toBeGreaterThan(Date.now() / 1000);

    expect((await admin('callback', 'delete', subscription.subscriptionId, '--account', account)).code).toBe(0);
    expect(await getSubscription(table, account, subscription.subscriptionId, true)).toBeUndefined();
    expect((await admin('callback', 'delete', subscription.subscriptionId, '--account', account)).code).toBe(1);
  });
});
