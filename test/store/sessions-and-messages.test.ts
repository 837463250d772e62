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
import { table } from '../support/stack.js';

const ids = ulidGenerator();
const endpoint = { endpointId: 'ep_demo', accountId: 'acct_demo', customerId: 'cus_demo', displayName: 'Demo Line', address: '+15550001111' };

describe('store against DynamoDB Local', () => {
  it('reads the seeded account, credential (by hash only) and endpoint', async () => {
    expect(await accountExists(table, 'acct_demo')).toBe(true);
    expect(await accountExists(table, 'acct_nope')).toBe(false);
    expect(await getCredential(table, hashSecret('demo-user-key'))).toEqual({ accountId: 'acct_demo', roles: ['User'] });
    expect(await getCredential(table, 'demo-user-key')).toBeUndefined();
    expect(await getEndpoint(table, 'ep_demo')).toEqual(endpoint);
  });

  it('creates one session per (endpoint, peer) even when 8 creations race', async () => {
    const peer = `+1555${Math.floor(1e6 + Math.random() * 8e6)}`;
    const created = await Promise.all(Array.from({ length: 8 }, () => createPeerSession(table, newSession(endpoint, peer, ids.next()))));
    const winner = created[0]!;
    expect(created.every((s) => s.sessionId === winner.sessionId)).toBe(true);
    expect(await getSession(table, winner.sessionId)).toEqual(winner);
    expect(await findPeerSession(table, 'ep_demo', peer, true)).toEqual(winner);
  });

  it('stores a message once however often its put is retried, and lists newest first across pages', async () => {
    const session = await createPeerSession(table, newSession(endpoint, `+1555${Math.floor(1e6 + Math.random() * 8e6)}`, ids.next()));
    const sent = [];
    for (let i = 0; i < 3; i++) {
      const message = outgoingMessage(session, `m${i}`, ids.next(), new Date());
      await putMessage(table, message);
      sent.push(message);
    }
    await putMessage(table, sent[0]!);
    expect(await getMessage(table, session.sessionId, sent[0]!.id)).toEqual(sent[0]);

    const first = await listMessages(table, session.sessionId, 2);
    expect(first.messages.map((m) => m.text)).toEqual(['m2', 'm1']);
    const second = await listMessages(table, session.sessionId, 2, first.lastId);
    expect(second.messages.map((m) => m.text)).toEqual(['m0']);
    expect(await listMessages(table, `ses_${randomUUID()}`, 2)).toEqual({ messages: [] });
  });
});
