import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { newSession } from '../../lib/domain/session.js';
import { outgoingMessage } from '../../lib/domain/message-info.js';
import { getCredential } from '../../lib/store/credentials.js';
import { getEndpoint } from '../../lib/store/endpoints.js';
import { getMessage, listMessages, putMessage } from '../../lib/store/messages.js';
import { createPeerSession, findPeerSession, getSession } from '../../lib/store/sessions.js';
import { accountExists } from '../../lib/store/accounts.js';
import { hashSecret } from '../../lib/domain/auth.js';
import { ulidGenerator } from '../../lib/ids.js';
import { allItems, randomPhone, table } from '../support/stack.js';

const ids = ulidGenerator();
const endpoint = {
  endpointId: 'ep_demo',
  accountId: 'acct_demo',
  customerId: 'cus_demo',
  displayName: 'Demo Line',
  address: '+15550001111',
};
const newPair = () => newSession(endpoint, randomPhone(), ids.next());

describe('store against DynamoDB Local', () => {
  it('reads the seeded account, credential (by hash only) and endpoint', async () => {
    expect(await accountExists(table, 'acct_demo')).toBe(true);
    expect(await accountExists(table, 'acct_nope')).toBe(false);
    expect(await getCredential(table, hashSecret('demo-user-key'))).toEqual({ accountId: 'acct_demo', roles: ['User'] });
    expect(await getCredential(table, 'demo-user-key')).toBeUndefined();
    expect(await getEndpoint(table, 'ep_demo')).toEqual(endpoint);
  });

  it("creates one session per (endpoint, peer), with only the winner's first message, when 8 first sends race", async () => {
    const peer = randomPhone();
    const proposals = Array.from({ length: 8 }, () => newSession(endpoint, peer, ids.next()));
    const results = await Promise.all(
      proposals.map((s) => createPeerSession(table, s, outgoingMessage(s, `first ${s.sessionId}`, ids.next(), new Date()))),
    );
    expect(results.filter((r) => r.created)).toHaveLength(1);
    const winner = results.find((r) => r.created)!.value;
    expect(results.every((r) => r.value.sessionId === winner.sessionId)).toBe(true);
    expect(await getSession(table, winner.sessionId)).toEqual(winner);
    expect(await findPeerSession(table, 'ep_demo', peer, true)).toEqual(winner);
    const stored = (await allItems()).filter(
      (item) => String(item.text).startsWith('first ') && proposals.some((s) => item.text === `first ${s.sessionId}`),
    );
    expect(stored.map((item) => item.text)).toEqual([`first ${winner.sessionId}`]);
  });

  it('stores a message once: a second put of its id, whatever it carries, returns the first', async () => {
    const session = (await createPeerSession(table, newPair())).value;
    const message = outgoingMessage(session, 'once', ids.next(), new Date());
    expect(await putMessage(table, message)).toEqual(message);
    expect(await putMessage(table, { ...message, text: 'a late writer', date: new Date().toISOString() })).toEqual(message);
    expect(await getMessage(table, session.sessionId, message.id)).toEqual(message);
  });

  it('lists newest first across pages, and a last page that is exactly full has no cursor', async () => {
    const session = (await createPeerSession(table, newPair())).value;
    for (let i = 0; i < 4; i++) await putMessage(table, outgoingMessage(session, `m${i}`, ids.next(), new Date()));

    const first = await listMessages(table, session.sessionId, 2);
    expect(first.messages.map((m) => m.text)).toEqual(['m3', 'm2']);
    const second = await listMessages(table, session.sessionId, 2, first.lastId);
    expect(second.messages.map((m) => m.text)).toEqual(['m1', 'm0']);
    expect(second.lastId).toBeUndefined();
    expect(await listMessages(table, `ses_${randomUUID()}`, 2)).toEqual({ messages: [] });
  });
});
