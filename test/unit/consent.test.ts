import { marshall } from '@aws-sdk/util-dynamodb';
import { describe, expect, it } from 'vitest';
import { contactEvent, receivedEvent, webhookId } from '../../lib/domain/callbacks/events.js';
import { consentAtHandOff, providerOptOut } from '../../lib/domain/consent/at-hand-off.js';
import { consentGuard, isPhoneNumber } from '../../lib/domain/consent/guard.js';
import { applyConsentKeyword, type KeywordDeps } from '../../lib/domain/consent/inbound-keywords.js';
import { classify } from '../../lib/domain/consent/keywords.js';
import { changeConsent, type ChangeRequest } from '../../lib/domain/consent/optouts.js';
import { confirmationTexts } from '../../lib/domain/consent/texts.js';
import { isDomainError } from '../../lib/domain/errors.js';
import { incomingMessage } from '../../lib/domain/inbound.js';
import { streamCallbackEvent } from '../../lib/store/callback-stream.js';
import { keys } from '../../lib/store/keys.js';
import { CONSENT_TYPES } from '../../lib/store/optouts.js';
import { entityItem } from '../../lib/store/table.js';
import { memoryConsent } from '../support/memory-consent.js';
import { memoryDeps, session } from '../support/memory.js';

describe('classify', () => {
  it.each([
    'STOP',
    'stop',
    ' Stop! ',
    'stop.',
    '"STOP"',
    'STOPALL',
    'Stop all',
    'unsubscribe',
    'Cancel',
    'END',
    'quit',
    'REVOKE',
    'OPTOUT',
    'opt-out',
    'Opt out',
    'ＳＴＯＰ',
    'stop 🛑',
  ])('%j opts out', (text) => expect(classify(text)).toBe('optOut'));
  it.each(['START', 'start', 'Unstop', 'YES', 'yes!'])('%j opts in', (text) => expect(classify(text)).toBe('optIn'));
  it.each(['HELP', 'help?', 'Info'])('%j asks for help', (text) => expect(classify(text)).toBe('help'));
  it.each([
    'please stop texting me',
    'STOP PLEASE',
    'unsubscribe me',
    'remove me from your list',
    "don't text me again",
    'no more messages',
    'Cancel these texts',
  ])('%j is flagged for review, not a keyword', (text) => expect(classify(text)).toBe('review'));
  it.each(['Thanks, see you at the end of the week', 'Yes, thanks!', 'See you at 5', 'information please', 'stopped'])(
    '%j is nothing',
    (text) => expect(classify(text)).toBe('none'),
  );
});

const NUMBER = '+15556667777';
const request = (state: 'optedOut' | 'optedIn', changeId: string, accountId = 'acct_1'): ChangeRequest => ({
  changeId,
  accountId,
  number: NUMBER,
  state,
  reason: 'test',
  source: { kind: 'api', keyId: 'key_1' },
  by: 'key_1',
  at: '2026-01-02T03:04:05.000Z',
});

describe('changeConsent', () => {
  it('records each change once with the previous state, and nothing when the state is already so', async () => {
    const { store, changes } = memoryConsent();
    expect(await changeConsent(store, request('optedIn', 'c0'))).toMatchObject({ changed: false });
    expect(await changeConsent(store, request('optedOut', 'c1'))).toMatchObject({ changed: true, change: { previousState: null } });
    expect(await changeConsent(store, request('optedOut', 'c2'))).toMatchObject({ changed: false });
    expect(await changeConsent(store, request('optedIn', 'c3'))).toMatchObject({ changed: true, change: { previousState: 'optedOut' } });
    // A redelivered change (same id) records nothing, even after the state moved.
    expect(await changeConsent(store, request('optedOut', 'c1'))).toMatchObject({ changed: false });
    expect(changes.map((c) => [c.changeId, c.previousState, c.state])).toEqual([
      ['c1', null, 'optedOut'],
      ['c3', 'optedOut', 'optedIn'],
    ]);
  });

  it('is per account', async () => {
    const { store } = memoryConsent();
    await changeConsent(store, request('optedOut', 'c1', 'acct_1'));
    expect(await store.getConsent('acct_2', NUMBER)).toBeUndefined();
  });
});

function keywordDeps() {
  const memory = memoryDeps({ sessions: [session] });
  const consent = memoryConsent();
  const deps: KeywordDeps = {
    consent: consent.store,
    textsOf: async (_accountId, fallbackName) => confirmationTexts(fallbackName),
    sessions: memory.deps.sessions,
    messages: memory.deps.messages,
    replyId: (id) => `reply-${id}`,
  };
  return { deps, consent, messages: memory.messages };
}

const inbound = (text: string, id: string, date = '2026-01-02T03:04:05.000Z') => incomingMessage(session, text, id, new Date(date));

describe('applyConsentKeyword', () => {
  it('opts out on STOP and answers once in the same conversation, however often the message comes', async () => {
    const { deps, consent, messages } = keywordDeps();
    const stop = inbound('Stop', 'in1');
    for (let i = 0; i < 3; i++) expect(await applyConsentKeyword(deps, stop)).toMatchObject({ consent: 'optOut' });
    expect(await consent.store.getConsent('acct_1', NUMBER)).toMatchObject({ state: 'optedOut', version: 1 });
    const replies = messages.filter((m) => m.direction === 'Outgoing');
    expect(replies).toEqual([
      expect.objectContaining({
        id: 'reply-in1',
        sessionId: 'ses_1',
        otherAddress: NUMBER,
        sender: '+15550001111',
        consentReply: true,
        date: '2026-01-02T03:04:05.001Z',
        text: expect.stringMatching(/^Line 1: .*unsubscribed.*START/),
      }),
    ]);
    expect(consent.changes).toEqual([
      expect.objectContaining({
        changeId: 'in1',
        previousState: null,
        by: 'recipient',
        reason: 'Keyword STOP',
        source: expect.objectContaining({ kind: 'keyword', inboundMessageId: 'in1', sessionId: 'ses_1', text: 'Stop' }),
      }),
    ]);
  });

  it('opts back in on START with a confirmation, but answers no START or YES from a number that was not opted out', async () => {
    const { deps, consent, messages } = keywordDeps();
    expect(await applyConsentKeyword(deps, inbound('YES', 'in0'))).toEqual({ consent: 'optIn', changed: false });
    expect(messages.filter((m) => m.direction === 'Outgoing')).toHaveLength(0);
    await applyConsentKeyword(deps, inbound('STOP', 'in1'));
    const start = inbound('start', 'in2', '2026-01-02T03:05:00.000Z');
    expect(await applyConsentKeyword(deps, start)).toMatchObject({
      consent: 'optIn',
      changed: true,
      reply: { text: expect.stringMatching(/resubscribed/) },
    });
    // Redelivered after the change: the same confirmation, not a second one.
    expect(await applyConsentKeyword(deps, start)).toMatchObject({ consent: 'optIn', changed: false, reply: { id: 'reply-in2' } });
    expect(messages.filter((m) => m.direction === 'Outgoing').map((m) => m.id)).toEqual(['reply-in1', 'reply-in2']);
    expect(await consent.store.getConsent('acct_1', NUMBER)).toMatchObject({ state: 'optedIn', version: 2 });
  });

  it('answers HELP without a change, and leaves review texts and other texts alone', async () => {
    const { deps, consent, messages } = keywordDeps();
    expect(await applyConsentKeyword(deps, inbound('help', 'in1'))).toMatchObject({
      consent: 'help',
      changed: false,
      reply: { text: expect.stringMatching(/STOP/) },
    });
    expect(await applyConsentKeyword(deps, inbound('please stop texting me', 'in2'))).toEqual({ consent: 'review', changed: false });
    expect(await applyConsentKeyword(deps, inbound('hello', 'in3'))).toEqual({ consent: 'none', changed: false });
    expect(consent.changes).toHaveLength(0);
    expect(messages.filter((m) => m.direction === 'Outgoing')).toHaveLength(1);
  });

  it("uses the account's own texts", async () => {
    const { deps } = keywordDeps();
    deps.textsOf = async () => confirmationTexts('Acme', { optOut: 'Acme: bye. Text START to come back.' });
    expect((await applyConsentKeyword(deps, inbound('STOP', 'in1'))).reply?.text).toBe('Acme: bye. Text START to come back.');
  });
});

describe('consentGuard and consentAtHandOff', () => {
  it('refuses a send to an opted-out number of the account only, and lets confirmations and non-numbers through', async () => {
    const { store } = memoryConsent();
    await changeConsent(store, request('optedOut', 'c1'));
    const guard = consentGuard({ isOptedOut: async (a, n) => (await store.getConsent(a, n))?.state === 'optedOut' });
    const refused = await guard({ accountId: 'acct_1', to: NUMBER }).catch((e) => e);
    expect(isDomainError(refused) && [refused.code, refused.reason]).toEqual(['recipient-opted-out', 'RecipientOptedOut']);
    await guard({ accountId: 'acct_2', to: NUMBER });
    await guard({ accountId: 'acct_1', to: NUMBER, consentReply: true });
    await guard({ accountId: 'acct_1', to: 'device-123' });
  });

  it('fails a queued message at hand-off with OPTED_OUT', async () => {
    const { store } = memoryConsent();
    const check = consentAtHandOff((a, n) => store.getConsent(a, n));
    expect(await check({ accountId: 'acct_1', otherAddress: NUMBER })).toEqual({ allowed: true, found: 'opted-in' });
    await changeConsent(store, request('optedOut', 'c1'));
    expect(await check({ accountId: 'acct_1', otherAddress: NUMBER })).toMatchObject({ allowed: false, errorCode: 'OPTED_OUT' });
    expect(await check({ accountId: 'acct_1', otherAddress: NUMBER, consentReply: true })).toEqual({
      allowed: true,
      found: 'consent-reply',
    });
    expect(isPhoneNumber('+15556667777')).toBe(true);
    const refusal = providerOptOut(
      { id: 'm1', accountId: 'acct_2', otherAddress: NUMBER },
      'aws-sms',
      'DESTINATION_PHONE_NUMBER_OPTED_OUT',
      new Date(0),
    );
    expect(await changeConsent(store, refusal)).toMatchObject({
      changed: true,
      change: { by: 'aws-sms', source: { kind: 'provider', messageId: 'm1' } },
    });
    expect(await changeConsent(store, refusal)).toMatchObject({ changed: false });
    expect(isPhoneNumber('15556667777')).toBe(false);
  });
});

describe('contact callbacks', () => {
  const consentChange = {
    ...request('optedOut', '01KWCHANGE'),
    previousState: null,
  };

  it('turns an opt-out change item on the stream into contact.opted_out, one webhook id per change', () => {
    const image = marshall(entityItem(keys.consentChange('acct_1', NUMBER, '01KWCHANGE'), CONSENT_TYPES.change, consentChange), {
      removeUndefinedValues: true,
    });
    const event = streamCallbackEvent({ eventName: 'INSERT', dynamodb: { NewImage: image as never } })!;
    expect(event).toEqual({ type: 'contact.opted_out', timestamp: consentChange.at, data: consentChange });
    expect(webhookId(event)).toBe('consent_01KWCHANGE');
    expect(contactEvent({ ...consentChange, state: 'optedIn', previousState: 'optedOut' }).type).toBe('contact.opted_in');
  });

  it('says what an incoming message was in its message.received event', () => {
    expect(receivedEvent(inbound(' stop ', 'in1')).data.consent).toBe('optOut');
    expect(receivedEvent(inbound('please stop texting me', 'in2')).data.consent).toBe('review');
    expect(receivedEvent(inbound('hello', 'in3')).data.consent).toBeNull();
  });
});
