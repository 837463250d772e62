import type { ConsentChange, ConsentRecord, ConsentStore } from '../../lib/domain/consent/optouts.js';
import { recordAfter } from '../../lib/domain/consent/optouts.js';

/** The opt-out list on Maps, with the table's conditions: a change id once, the record only at its expected version. */
export function memoryConsent() {
  const records = new Map<string, ConsentRecord>();
  const changes: ConsentChange[] = [];
  const key = (accountId: string, number: string) => `${accountId}|${number}`;
  const store: ConsentStore = {
    getConsent: async (accountId, number) => records.get(key(accountId, number)),
    recordChange: async (change, expectedVersion) => {
      if (changes.some((c) => c.accountId === change.accountId && c.number === change.number && c.changeId === change.changeId))
        return 'duplicate';
      const current = records.get(key(change.accountId, change.number));
      if ((current?.version ?? 0) !== expectedVersion) return 'conflict';
      changes.push(change);
      records.set(key(change.accountId, change.number), recordAfter(change, expectedVersion + 1));
      return 'recorded';
    },
    listConsent: async (accountId, { limit, cursor, all }) => {
      const mine = [...records.values()]
        .filter((r) => r.accountId === accountId && (all || r.state === 'optedOut') && (!cursor || r.number > cursor))
        .sort((a, b) => a.number.localeCompare(b.number));
      const page = mine.slice(0, limit);
      return mine.length > limit ? { records: page, cursor: page.at(-1)!.number } : { records: page };
    },
    history: async (accountId, number) => changes.filter((c) => c.accountId === accountId && c.number === number),
  };
  return { store, records, changes };
}
