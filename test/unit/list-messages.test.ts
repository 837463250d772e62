import { describe, expect, it } from 'vitest';
import { listMessages } from '../../lib/domain/list-messages.js';
import { sendMessage } from '../../lib/domain/send.js';
import { memoryDeps, session } from '../support/memory.js';

const principal = { accountId: 'acct_1', roles: ['User' as const] };

describe('listMessages', () => {
  it('pages newest first with an opaque cursor that round-trips', async () => {
    const { deps } = memoryDeps({ sessions: [session] });
    for (const text of ['a', 'b', 'c']) await sendMessage(deps, principal, { kind: 'session', sessionId: 'ses_1' }, text);
    const first = await listMessages(deps, principal, { sessionId: 'ses_1', limit: '2' });
    expect(first.results.map((m) => m.text)).toEqual(['c', 'b']);
    expect(first.results[0]).not.toHaveProperty('sessionId');
    const second = await listMessages(deps, principal, { sessionId: 'ses_1', limit: '2', cursor: first.next });
    expect(second.results.map((m) => m.text)).toEqual(['a']);
    expect(second.next).toBeUndefined();
  });

  it.each([
    [{ limit: '0' }, 'limit'],
    [{ limit: '1.5' }, 'limit'],
    [{ cursor: 'bm90LWEtdWxpZA' }, 'cursor'],
  ])('refuses %j naming %s', async (query, field) => {
    const { deps } = memoryDeps({ sessions: [session] });
    await expect(listMessages(deps, principal, { sessionId: 'ses_1', ...query })).rejects.toMatchObject({
      code: 'invalid',
      fields: [expect.objectContaining({ field })],
    });
  });

  it("answers not-found for another account's session", async () => {
    const { deps } = memoryDeps({ sessions: [session] });
    await expect(listMessages(deps, { accountId: 'acct_2', roles: ['User'] }, { sessionId: 'ses_1' })).rejects.toMatchObject({
      code: 'not-found',
    });
  });
});
