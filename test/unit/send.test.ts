import { describe, expect, it } from 'vitest';
import { DomainError } from '../../lib/domain/errors.js';
import { sendMessage } from '../../lib/domain/send.js';
import { parseSendMessage } from '../../lib/domain/send-message.js';
import { endpoint, memoryDeps, session } from '../support/memory.js';

const principal = { accountId: 'acct_1', roles: ['User' as const] };
const stranger = { accountId: 'acct_2', roles: ['User' as const] };

async function refusal(promise: Promise<unknown>): Promise<DomainError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DomainError);
  return error as DomainError;
}

describe('sendMessage', () => {
  it('stores an outgoing MessageInfo built from the session', async () => {
    const { deps, messages } = memoryDeps({ sessions: [session] });
    const message = await sendMessage(deps, principal, { kind: 'session', sessionId: 'ses_1' }, 'hi');
    expect(message).toEqual({
      id: '01J00000000000000000000001',
      sessionId: 'ses_1',
      accountId: 'acct_1',
      customerId: 'cus_1',
      endpointId: 'ep_1',
      endpointDisplayName: 'Line 1',
      date: '2026-01-02T03:04:05.678Z',
      direction: 'Outgoing',
      otherAddress: '+15556667777',
      sender: '+15550001111',
      text: 'hi',
      isUnread: false,
    });
    expect(messages).toEqual([message]);
  });

  it('creates the session of a new (endpoint, peer) once and reuses it', async () => {
    const { deps, sessions } = memoryDeps({ endpoints: [endpoint] });
    const target = { kind: 'peer' as const, endpointId: 'ep_1', toAddress: '+1 (555) 777-8888' };
    const first = await sendMessage(deps, principal, target, 'a');
    const second = await sendMessage(deps, principal, target, 'b');
    expect(first.otherAddress).toBe('+15557778888');
    expect(second.sessionId).toBe(first.sessionId);
    expect(sessions.size).toBe(1);
  });

  it("refuses another account's session and endpoint as not found, storing nothing", async () => {
    const { deps, messages, sessions } = memoryDeps({ sessions: [session], endpoints: [endpoint] });
    expect((await refusal(sendMessage(deps, stranger, { kind: 'session', sessionId: 'ses_1' }, 'x'))).code).toBe('not-found');
    const byPeer = await refusal(sendMessage(deps, stranger, { kind: 'peer', endpointId: 'ep_1', toAddress: '+15556667777' }, 'x'));
    expect(byPeer.fields[0]?.field).toBe('endpointId');
    const newPeer = await refusal(sendMessage(deps, stranger, { kind: 'peer', endpointId: 'ep_1', toAddress: '+15559990000' }, 'x'));
    expect(newPeer.code).toBe('not-found');
    expect(messages).toHaveLength(0);
    expect(sessions.size).toBe(1);
  });

  it("looks up a peer only on the caller's own endpoint: probing another tenant's pair reads what probing a missing one does", async () => {
    const { deps } = memoryDeps({ sessions: [session], endpoints: [endpoint] });
    const reads: string[] = [];
    const { findPeerSession } = deps.sessions;
    deps.sessions.findPeerSession = async (...args) => {
      reads.push('peer');
      return findPeerSession(...args);
    };
    await refusal(sendMessage(deps, stranger, { kind: 'peer', endpointId: 'ep_1', toAddress: '+15556667777' }, 'x'));
    await refusal(sendMessage(deps, stranger, { kind: 'peer', endpointId: 'ep_missing', toAddress: '+15556667777' }, 'x'));
    expect(reads).toEqual([]);
  });

  it('refuses a toAddress that is not a phone number before touching the store', async () => {
    const { deps, sessions } = memoryDeps({ endpoints: [endpoint] });
    const error = await refusal(sendMessage(deps, principal, { kind: 'peer', endpointId: 'ep_1', toAddress: 'hello' }, 'x'));
    expect(error.fields).toEqual([expect.objectContaining({ field: 'toAddress', code: 'InvalidPhoneNumber' })]);
    expect(sessions.size).toBe(0);
  });
});

describe('parseSendMessage', () => {
  it('prefers sessionId over endpointId + toAddress', () => {
    expect(parseSendMessage({ sessionId: 's', endpointId: 'e', toAddress: '+1', body: 'x' }).target).toEqual({
      kind: 'session',
      sessionId: 's',
    });
  });

  it.each([
    [{ body: 'x' }, 'sessionId', 'NotEmpty'],
    [{ endpointId: 'e', body: 'x' }, 'toAddress', 'NotEmpty'],
    [{ toAddress: '+15550001111', body: 'x' }, 'endpointId', 'NotEmpty'],
    [{ sessionId: 's' }, 'body', 'NotEmpty'],
    [{ sessionId: 's', body: 1 }, 'body', 'InvalidType'],
    [{ sessionId: 's', body: 'x'.repeat(1601) }, 'body', 'MaximumLength'],
    [{ sessionId: 'a b', body: 'x' }, 'sessionId', 'InvalidFormat'],
    [{ sessionId: 'x'.repeat(129), body: 'x' }, 'sessionId', 'MaximumLength'],
  ])('refuses %j naming %s (%s)', (input, field, code) => {
    try {
      parseSendMessage(input);
      expect.unreachable();
    } catch (error) {
      expect((error as DomainError).code).toBe('invalid');
      expect((error as DomainError).fields).toContainEqual(expect.objectContaining({ field, code }));
    }
  });

  it('accepts exactly 1600 characters and trims surrounding whitespace', () => {
    expect(parseSendMessage({ sessionId: 's', body: ` ${'x'.repeat(1600)} ` }).text).toHaveLength(1600);
  });
});
