import { describe, expect, it } from 'vitest';
import { IN_FLIGHT_MS } from '../../lib/domain/idempotency.js';
import { sendMessage } from '../../lib/domain/send.js';
import { memoryDeps, session } from '../support/memory.js';

const principal = { accountId: 'acct_1', roles: ['User' as const] };
const toSession = { kind: 'session' as const, sessionId: 'ses_1' };

describe('sendMessage with an idempotency key', () => {
  it('replays the first message for the same key and request, storing it once', async () => {
    const { deps, messages } = memoryDeps({ sessions: [session] });
    const first = await sendMessage(deps, principal, toSession, 'hi', 'key-1');
    const again = await sendMessage(deps, principal, toSession, 'hi', 'key-1');
    expect(again).toEqual(first);
    expect(messages).toHaveLength(1);
  });

  it('refuses the same key for a different request with idempotency-key-reused', async () => {
    const { deps, messages } = memoryDeps({ sessions: [session] });
    await sendMessage(deps, principal, toSession, 'hi', 'key-1');
    await expect(sendMessage(deps, principal, toSession, 'other text', 'key-1')).rejects.toMatchObject({ code: 'idempotency-key-reused' });
    expect(messages).toHaveLength(1);
  });

  it('scopes keys per account', async () => {
    const other = { ...session, sessionId: 'ses_2', accountId: 'acct_2' };
    const { deps, messages } = memoryDeps({ sessions: [session, other] });
    await sendMessage(deps, principal, toSession, 'hi', 'shared');
    await sendMessage(deps, { accountId: 'acct_2', roles: ['User'] }, { kind: 'session', sessionId: 'ses_2' }, 'hi', 'shared');
    expect(messages).toHaveLength(2);
  });

  it('answers conflict while the first send is in flight, and takes over a dead claim afterwards', async () => {
    const { deps, messages, claims, clock } = memoryDeps({ sessions: [session] });
    const put = deps.messages.putMessage;
    deps.messages.putMessage = async () => {
      throw new Error('crash after the claim');
    };
    deps.idempotency.release = async () => undefined; // the crashed sender could not clean up
    await expect(sendMessage(deps, principal, toSession, 'hi', 'k')).rejects.toThrow('crash');
    deps.messages.putMessage = put;
    expect(claims.size).toBe(1);
    await expect(sendMessage(deps, principal, toSession, 'hi', 'k')).rejects.toMatchObject({ code: 'conflict' });
    clock.time += IN_FLIGHT_MS;
    const recovered = await sendMessage(deps, principal, toSession, 'hi', 'k');
    expect(messages).toEqual([recovered]);
  });

  it('frees the key when storing the message fails, so a retry goes through at once', async () => {
    const { deps, messages, claims } = memoryDeps({ sessions: [session] });
    const put = deps.messages.putMessage;
    deps.messages.putMessage = async () => {
      throw new Error('store down');
    };
    await expect(sendMessage(deps, principal, toSession, 'hi', 'k')).rejects.toThrow('store down');
    expect(claims.size).toBe(0);
    deps.messages.putMessage = put;
    await sendMessage(deps, principal, toSession, 'hi', 'k');
    expect(messages).toHaveLength(1);
  });

  it('expires keys after 24 hours', async () => {
    const { deps, messages, clock } = memoryDeps({ sessions: [session] });
    await sendMessage(deps, principal, toSession, 'hi', 'k');
    clock.time += 24 * 60 * 60 * 1000;
    await sendMessage(deps, principal, toSession, 'hi', 'k');
    expect(messages).toHaveLength(2);
  });
});
