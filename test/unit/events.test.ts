import type { EventBridgeEvent, SQSRecord } from 'aws-lambda';
import { describe, expect, it, vi } from 'vitest';
import { runCommand, parseCommand, type CommandDeps, type Producer } from '../../lib/domain/commands.js';
import { DomainError, invalidField } from '../../lib/domain/errors.js';
import { keys } from '../../lib/store/keys.js';
import { asciiJson } from '../../lib/queues/sqs.js';
import { commandFromEventBridge, producerOfSqs, settle } from '../../lib/wire/events.js';
import { endpoint, memoryDeps, session } from '../support/memory.js';

const event = (detailType: string, detail: object) =>
  ({ id: 'ev-1', 'detail-type': detailType, detail, account: '111122223333', source: 'crm' }) as EventBridgeEvent<string, unknown>;

const record = (messageId: string, senderId?: string) =>
  ({ messageId, body: '{}', attributes: senderId ? { SenderId: senderId } : {} }) as unknown as SQSRecord;

describe('event producers bound to tenants', () => {
  const crm: Producer = { kind: 'events', account: '111122223333', source: 'crm' };
  const setup = () => {
    const memory = memoryDeps({ endpoints: [endpoint], sessions: [session] });
    const bindings = new Map([[keys.producer(crm).pk, ['acct_1']]]);
    // Only SendMessage runs here: the edna ports are never reached.
    const deps = {
      ...memory.deps,
      accounts: { accountExists: async (id: string) => id === 'acct_1' || id === 'acct_2' },
      producers: { tenantsOf: async (producer: Producer) => bindings.get(keys.producer(producer).pk) ?? [] },
    } as unknown as CommandDeps;
    return { deps, messages: memory.messages };
  };
  const send = (accountId: string) =>
    parseCommand({ type: 'SendMessage', accountId, request: { sessionId: 'ses_1', body: 'hi' } }, 'event:1');

  it('runs the command of a producer bound to its account', async () => {
    const { deps, messages } = setup();
    await runCommand(deps, crm, send('acct_1'));
    expect(messages).toHaveLength(1);
  });

  it('refuses an unbound producer and one naming a tenant it is not bound to, storing nothing', async () => {
    const { deps, messages } = setup();
    const stranger: Producer = { kind: 'events', account: '999999999999', source: 'crm' };
    await expect(runCommand(deps, stranger, send('acct_1'))).rejects.toMatchObject({ code: 'forbidden', reason: 'UnboundProducer' });
    await expect(runCommand(deps, crm, send('acct_2'))).rejects.toMatchObject({ code: 'forbidden', reason: 'UnboundProducer' });
    await expect(runCommand(deps, { kind: 'sqs', senderId: '111122223333' }, send('acct_1'))).rejects.toMatchObject({ code: 'forbidden' });
    expect(messages).toHaveLength(0);
  });

  it('keys a binding by the identity AWS supplies, a role by its id without the session name', () => {
    expect(keys.producer({ kind: 'sqs', senderId: 'AROAEXAMPLE' })).toEqual({ pk: 'PRODUCER#sqs#AROAEXAMPLE', sk: 'PRODUCER' });
    expect(keys.producer(crm)).toEqual({ pk: 'PRODUCER#events#111122223333#crm', sk: 'PRODUCER' });
    expect(producerOfSqs(record('m', 'AROAEXAMPLE:worker-7'))).toEqual({ kind: 'sqs', senderId: 'AROAEXAMPLE' });
    expect(producerOfSqs(record('m'))).toEqual({ kind: 'sqs', senderId: '' });
  });
});

describe('EventBridge commands', () => {
  it('take their type from detail-type only', () => {
    expect(commandFromEventBridge(event('SendMessage', { accountId: 'acct_1', request: {} })).type).toBe('SendMessage');
    expect(() => commandFromEventBridge(event('SendMessage', { type: 'OutgoingToDevice', accountId: 'acct_1', request: {} }))).toThrow(
      expect.objectContaining({ code: 'invalid', fields: [expect.objectContaining({ field: 'type' })] }),
    );
  });
});

describe('settle', () => {
  it('dead-letters a permanent refusal and counts it done', async () => {
    const deadLetter = vi.fn(async () => {});
    const refusal = invalidField('body', 'NotEmpty', 'empty');
    await settle(() => Promise.reject(refusal), deadLetter, 'body', { messageId: 'm' });
    expect(deadLetter).toHaveBeenCalledWith('body', refusal, { messageId: 'm' });
  });

  it.each([
    ['an outage', new DomainError('unavailable', 'down')],
    ['a bug', new TypeError('x is undefined')],
  ])('throws %s for a retry, dead-lettering nothing', async (_, error) => {
    const deadLetter = vi.fn(async () => {});
    await expect(settle(() => Promise.reject(error), deadLetter, 'body', {})).rejects.toBe(error);
    expect(deadLetter).not.toHaveBeenCalled();
  });
});

describe('asciiJson', () => {
  it('is the same JSON value in text any SQS accepts (no control characters, lone surrogates or astral characters)', () => {
    const value = { text: 'a\u0000é😀\ud800' };
    const text = asciiJson(value);
    expect(text).toMatch(/^[\x20-\x7e]*$/);
    expect(JSON.parse(text)).toEqual(value);
  });
});
