import { TtlCache } from '../cache.js';
import type { KeywordDeps } from '../domain/consent/inbound-keywords.js';
import type { ManageDeps } from '../domain/consent/manage.js';
import type { ConsentStore } from '../domain/consent/optouts.js';
import { confirmationTexts, type ConsentTexts } from '../domain/consent/texts.js';
import { phoneNumbers } from '../domain/phone.js';
import type { CredentialStore } from '../domain/ports.js';
import { deterministicUlid, ulidGenerator } from '../ids.js';
import * as optouts from '../store/optouts.js';
import type { Table } from '../store/table.js';
import { credentialStore, messageStore, sessionStore, type Container } from './index.js';

const TEXTS_CACHE_MS = 60 * 1000;

export const consentStore = (table: Table): ConsentStore => ({
  getConsent: (accountId, number, consistent) => optouts.getConsent(table, accountId, number, consistent),
  recordChange: (change, expectedVersion) => optouts.recordChange(table, change, expectedVersion),
  listConsent: (accountId, page) => optouts.listConsent(table, accountId, page),
  history: (accountId, number) => optouts.consentHistory(table, accountId, number),
});

/** What applying an inbound keyword needs (functions `inbound` and `carrier-inbound`). */
export function keywordDeps({ table }: Container): KeywordDeps {
  const texts = new TtlCache<ConsentTexts>(TEXTS_CACHE_MS);
  return {
    consent: consentStore(table),
    textsOf: async (accountId, fallbackName) => {
      const hit = texts.get(accountId);
      if (hit) return hit;
      const [name, custom] = await Promise.all([optouts.accountName(table, accountId), optouts.getConsentTexts(table, accountId)]);
      const value = confirmationTexts(name ?? fallbackName, custom);
      texts.set(accountId, value);
      return value;
    },
    sessions: sessionStore(table),
    messages: messageStore(table),
    replyId: (inboundMessageId, date) => deterministicUlid(date, `consent-reply:${inboundMessageId}`),
  };
}

/** What the opt-out routes need (function `optouts`). */
export const optOutDeps = (container: Container): ManageDeps & { credentials: CredentialStore } => ({
  credentials: credentialStore(container),
  consent: consentStore(container.table),
  phones: phoneNumbers,
  clock: { now: () => new Date() },
  ids: ulidGenerator(),
});
