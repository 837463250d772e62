import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as admin from '../../scripts/admin/actions.js';
import * as callbacks from '../../scripts/admin/callbacks.js';
import { attribute, take } from '../support/queues.js';
import { api, randomPhone, table } from '../support/stack.js';

/**
 * Callbacks end to end: subscriptions made with the CLI's operations, sends and replies through the
 * API, the stream into callback-events, the callback queue into callback-send, and a receiver started
 * here that verifies every request with the `standardwebhooks` library.
 */
interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

const received: Received[] = [];
const attemptsById = new Map<string, number>();
const behaviours: Record<string, (id: string, res: ServerResponse) => void> = {
  '/ok': (_id, res) => res.writeHead(204).end(),
  // 500 on the first two attempts of each event, then 200.
  '/flaky': (id, res) => res.writeHead((attemptsById.get(id) ?? 0) <= 2 ? 500 : 200).end('body that is not stored'),
  '/hang': () => undefined,
};
const receiver = createServer((req, res) => {
  let body = '';
  req.on('data', (chunk) => (body += chunk));
  req.on('end', () => {
    const path = req.url!.replace(/\?.*/, '').replace(/^\/[^/]+/, '');
    const id = String(req.headers['webhook-id']);
    attemptsById.set(`${req.url}|${id}`, (attemptsById.get(`${req.url}|${id}`) ?? 0) + 1);
    received.push({ path: req.url!, headers: req.headers, body });
    behaviours[path]!(`${req.url}|${id}`, res);
  });
});
let base = '';
beforeAll(async () => {
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
});
afterAll(() => {
  receiver.closeAllConnections();
  receiver.close();
});

const ops = { table, now: () => new Date() };

/** A fresh tenant: account, endpoint (its own number), a User key, and a subscription to `path` (unique per tenant). */
async function tenant(behaviour: keyof typeof behaviours, events = ['message.status', 'message.received']) {
  const accountId = `acct_cb_${ulid()}`;
  const number = randomPhone('+1556');
  await admin.createAccount(ops, { accountId, name: 'Callbacks' });
  await admin.createEndpoint(ops, { endpointId: `ep_${ulid()}`, accountId, customerId: 'cus_cb', address: number, displayName: 'CB' });
  const { secret: key } = await admin.createKey(ops, { accountId, roles: ['User'] });
  const url = `${base}/${accountId}${behaviour}`;
  const { secret, subscription } = await callbacks.subscribe(ops, accountId, url, events);
  const endpointId = (await admin.listEndpoints(ops, accountId))[0]!.endpointId;
  return { accountId, number, key, secret, subscription, endpointId, url: `/${accountId}${behaviour}` };
}

const verified = (secret: string, r: Received) =>
  new Webhook(secret).verify(r.body, r.headers as Record<string, string>) as { type: string; data: Record<string, unknown> };
const at = (path: string) => received.filter((r) => r.path === path);

describe('callbacks', () => {
  it('POSTs a signed message.status for every status change and message.received for a reply, and nothing of it to another tenant', async () => {
    const a = await tenant('/ok');
    const b = await tenant('/ok');
    const to = `${randomPhone().slice(0, -2)}00`;
    const sent = await api('/messages', { key: a.key, body: { endpointId: a.endpointId, toAddress: to, body: 'hello' } });
    expect(sent.status, sent.text).toBe(200);
    await expect.poll(() => at(a.url).filter((r) => verified(a.secret, r).data.status === 'delivered').length, { timeout: 30_000 }).toBe(1);
    const statuses = at(a.url)
      .map((r) => verified(a.secret, r))
      .filter((e) => e.type === 'message.status' && e.data.messageId === sent.json.id);
    expect(
      statuses.map((e) => [e.data.previousStatus, e.data.status, e.data.sequence]).sort((x, y) => Number(x[2]) - Number(y[2])),
    ).toEqual([
      ['accepted', 'sending', 2],
      ['sending', 'sent', 3],
      ['sent', 'delivered', 4],
    ]);
    expect(statuses[0]!.data).toMatchObject({ accountId: a.accountId, segments: 1, errorCode: null });

    const reply = await api('/dev/carrier/inbound', { key: a.key, body: { from: to, to: a.number, text: 'a reply' } });
    expect(reply.status, reply.text).toBe(200);
    await expect
      .poll(
        () =>
          at(a.url)
            .map((r) => verified(a.secret, r))
            .filter((e) => e.type === 'message.received').length,
        { timeout: 20_000 },
      )
      .toBe(1);
    const replyEvent = at(a.url)
      .map((r) => verified(a.secret, r))
      .find((e) => e.type === 'message.received')!;
    expect(replyEvent.data).toMatchObject({
      messageId: reply.json.message.id,
      accountId: a.accountId,
      status: 'received',
      sequence: 1,
      message: reply.json.message,
    });

    expect(at(b.url)).toEqual([]);
    expect(received.filter((r) => r.body.includes(a.accountId)).every((r) => r.path === a.url)).toBe(true);
  });

  it('retries a receiver that answers 500 twice: the same webhook-id three times, then done', async () => {
    const t = await tenant('/flaky', ['message.received']);
    const reply = await api('/dev/carrier/inbound', { key: t.key, body: { from: randomPhone(), to: t.number, text: 'retry me' } });
    expect(reply.status).toBe(200);
    await expect.poll(() => at(t.url).length, { timeout: 30_000 }).toBe(3);
    const ids = at(t.url).map((r) => r.headers['webhook-id']);
    expect(new Set(ids)).toEqual(new Set([`msg_${reply.json.message.id}_1`]));
    for (const r of at(t.url)) expect(verified(t.secret, r).data.messageId).toBe(reply.json.message.id);
  });

  it('dead-letters a callback whose receiver never answers, with why, for an operator to replay', async () => {
    const t = await tenant('/hang', ['message.received']);
    const reply = await api('/dev/carrier/inbound', { key: t.key, body: { from: randomPhone(), to: t.number, text: 'never answered' } });
    expect(reply.status).toBe(200);
    const [dead] = await take('callback-dlq', (m) => attribute(m, 'accountId') === t.accountId, 1, 40_000);
    expect(dead).toBeDefined();
    expect(JSON.parse(dead!.Body!)).toMatchObject({
      subscriptionId: t.subscription.subscriptionId,
      webhookId: `msg_${reply.json.message.id}_1`,
      attempt: 1,
    });
    expect(attribute(dead!, 'reason')).toMatch(/no answer within/);
    expect(at(t.url)).toHaveLength(3);
  });

  it('signs with both secrets during a rotation overlap', async () => {
    const t = await tenant('/ok', ['message.received']);
    const { secret: next } = await callbacks.rotate(ops, t.accountId, t.subscription.subscriptionId, 3600);
    await api('/dev/carrier/inbound', { key: t.key, body: { from: randomPhone(), to: t.number, text: 'rotated' } });
    await expect.poll(() => at(t.url).length, { timeout: 20_000 }).toBe(1);
    const [request] = at(t.url);
    expect(String(request!.headers['webhook-signature']).split(' ')).toHaveLength(2);
    expect(verified(t.secret, request!).type).toBe('message.received');
    expect(verified(next, request!).type).toBe('message.received');
  });
});
