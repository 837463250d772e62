import { ulid } from 'ulid';
import { describe, expect, it } from 'vitest';
import { changeConsent, type ChangeRequest } from '../../lib/domain/consent/optouts.js';
import { keys } from '../../lib/store/keys.js';
import * as optouts from '../../lib/store/optouts.js';
import { item, table } from '../support/stack.js';

const store = {
  getConsent: (a: string, n: string, c?: boolean) => optouts.getConsent(table, a, n, c),
  recordChange: (change: Parameters<typeof optouts.recordChange>[1], version: number) => optouts.recordChange(table, change, version),
  listConsent: (a: string, page: { limit: number; cursor?: string; all?: boolean }) => optouts.listConsent(table, a, page),
  history: (a: string, n: string) => optouts.consentHistory(table, a, n),
};

const change = (accountId: string, number: string, state: 'optedOut' | 'optedIn', changeId = ulid()): ChangeRequest => ({
  changeId,
  accountId,
  number,
  state,
  reason: 'paper form',
  source: { kind: 'cli', operator: 'alice' },
  by: 'operator:alice',
  at: new Date().toISOString(),
});

describe('the opt-out list in DynamoDB', () => {
  it('keeps one record per (account, number) with its version, and one item per change, each only once', async () => {
    const account = `acct_${ulid()}`;
    const number = '+15557770001';
    const first = change(account, number, 'optedOut');
    expect(await changeConsent(store, first)).toMatchObject({ changed: true });
    expect(await store.recordChange({ ...first, previousState: null }, 1)).toBe('duplicate');
    expect(await store.recordChange({ ...change(account, number, 'optedIn'), previousState: 'optedOut' }, 0)).toBe('conflict');
    expect(await changeConsent(store, change(account, number, 'optedIn'))).toMatchObject({ changed: true });
    expect(await item(keys.consent(account, number))).toMatchObject({ type: 'Consent', state: 'optedIn', version: 2 });
    const history = await store.history(account, number);
    expect(history.map((c) => [c.previousState, c.state])).toEqual([
      [null, 'optedOut'],
      ['optedOut', 'optedIn'],
    ]);
    expect(await store.getConsent(`acct_${ulid()}`, number)).toBeUndefined();
  });

  it('serialises concurrent changes: exactly one of racing opt-outs is recorded', async () => {
    const account = `acct_${ulid()}`;
    const results = await Promise.all([1, 2, 3, 4].map(() => changeConsent(store, change(account, '+15557770002', 'optedOut'))));
    expect(results.filter((r) => r.changed)).toHaveLength(1);
    expect(await store.history(account, '+15557770002')).toHaveLength(1);
  });

  it('lists opted-out numbers in pages, and every record with all', async () => {
    const account = `acct_${ulid()}`;
    for (const n of [1, 2, 3, 4, 5]) await changeConsent(store, change(account, `+1555888000${n}`, 'optedOut'));
    await changeConsent(store, change(account, '+15558880003', 'optedIn'));
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await store.listConsent(account, { limit: 2, cursor });
      seen.push(...page.records.map((r) => r.number));
      cursor = page.cursor;
    } while (cursor);
    expect(seen).toEqual(['+15558880001', '+15558880002', '+15558880004', '+15558880005']);
    expect((await store.listConsent(account, { limit: 10, all: true })).records).toHaveLength(5);
  });

  it('stores the account texts', async () => {
    const account = `acct_${ulid()}`;
    expect(await optouts.getConsentTexts(table, account)).toEqual({});
    await optouts.putConsentTexts(table, account, { help: 'Acme: call 555-0100.' });
    expect(await optouts.getConsentTexts(table, account)).toEqual({ help: 'Acme: call 555-0100.' });
  });
});
