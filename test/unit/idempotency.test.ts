import { describe, expect, it } from 'vitest';
import type { StoredMessage } from '../../lib/domain/message-info.js';
import { sendMessage } from '../../lib/domain/send.js';
import { endpoint, memoryDeps, session } from '../support/memory.js';

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

  it('refuses the same key for a different request with idempotency-key-reused, creating nothing', async () => {
    const { deps, messages, peers } = memoryDeps({ endpoints: [endpoint], sessions: [session] });
    await sendMessage(deps, principal, toSession, 'hi', 'key-1');
    await expect(sendMessage(deps, principal, toSession, 'other text', 'key-1')).rejects.toMatchObject({ code: 'idempotency-key-reused' });
    const toNewPeer = { kind: 'peer' as const, endpointId: 'ep_1', toAddress: '+15557778888' };
    await expect(sendMessage(deps, principal, toNewPeer, 'hi', 'key-1')).rejects.toMatchObject({ code: 'idempotency-key-reused' });
    expect(messages).toHaveLength(1);
    expect(peers.size).toBe(1);
  });

  it('scopes keys per account', async () => {
    const other = { ...session, sessionId: 'ses_2', accountId: 'acct_2' };
    const { deps, messages } = memoryDeps({ sessions: [session, other] });
    await sendMessage(deps, principal, toSession, 'hi', 'shared');
    await sendMessage(deps, { accountId: 'acct_2', roles: ['User'] }, { kind: 'session', sessionId: 'ses_2' }, 'hi', 'shared');
    expect(messages).toHaveLength(2);
  });

  it('answers a retry after a write whose answer was lost with the message that landed', async () => {
    const { deps, messages } = memoryDeps({ sessions: [session] });
    const put = deps.messages.putMessage;
    deps.messages.putMessage = async (message) => {
      await put(message);
      throw new Error('answer lost');
    };
    await expect(sendMessage(deps, principal, toSession, 'hi', 'k')).rejects.toThrow('answer lost');
    deps.messages.putMessage = put;
    const retried = await sendMessage(deps, principal, toSession, 'hi', 'k');
    expect(messages).toEqual([retried]);
  });

  it('completes a claim whose sender died before writing, under the claim ids, at once', async () => {
    const { deps, messages, claims } = memoryDeps({ sessions: [session] });
    const put = deps.messages.putMessage;
    deps.messages.putMessage = async () => {
      throw new Error('crash after the claim');
    };
    await expect(sendMessage(deps, principal, toSession, 'hi', 'k')).rejects.toThrow('crash');
    deps.messages.putMessage = put;
    const claimed = [...claims.values()][0]!;
    const recovered = await sendMessage(deps, principal, toSession, 'hi', 'k');
    expect(recovered.id).toBe(claimed.messageId);
    expect(messages).toEqual([recovered]);
  });

  it('adds nothing when a frozen first attempt resumes after a retry completed its key', async () => {
    const { deps, messages } = memoryDeps({ sessions: [session] });
    const put = deps.messages.putMessage;
    let resume!: () => void;
    const frozen = new Promise<void>((resolve) => (resume = resolve));
    deps.messages.putMessage = async (message) => {
      deps.messages.putMessage = put;
      await frozen;
      return put(message);
    };
    const zombie = sendMessage(deps, principal, toSession, 'hi', 'k');
    await new Promise((resolve) => setTimeout(resolve, 0));
    const retried = await sendMessage(deps, principal, toSession, 'hi', 'k');
    resume();
    const late: StoredMessage = await zombie;
    expect(late.id).toBe(retried.id);
    expect(messages).toEqual([retried]);
  });

  it('treats its own claim, come back from a retried put, as its own', async () => {
    const { deps, messages } = memoryDeps({ sessions: [session] });
    const claim = deps.idempotency.claim;
    deps.idempotency.claim = async (record) => (await claim(record)) ?? record;
    const sent = await sendMessage(deps, principal, toSession, 'hi', 'k');
    expect(messages).toEqual([sent]);
  });

  it('expires keys after 24 hours', async () => {
    const { deps, messages, clock } = memoryDeps({ sessions: [session] });
    await sendMessage(deps, principal, toSession, 'hi', 'k');
    clock.time += 24 * 60 * 60 * 1000;
    await sendMessage(deps, principal, toSession, 'hi', 'k');
    expect(messages).toHaveLength(2);
  });
});
