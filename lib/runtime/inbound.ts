import type { InboundDeps } from '../domain/inbound.js';
import { phoneNumbers } from '../domain/phone.js';
import { deterministicUlid, ulidGenerator } from '../ids.js';
import { messageStore, sessionStore, type Container } from './index.js';
import { endpointOfNumber } from '../store/numbers.js';

/** What storing an inbound message needs (functions `inbound` and `carrier-inbound`). */
export function inboundDeps({ table }: Container): InboundDeps {
  const ids = ulidGenerator();
  return {
    endpointOfNumber: (e164) => endpointOfNumber(table, e164),
    sessions: sessionStore(table),
    messages: messageStore(table),
    phones: phoneNumbers,
    inboundId: (provider, providerMessageId, receivedAt) => deterministicUlid(receivedAt, `${provider}:${providerMessageId}`),
    newId: () => ids.next(),
  };
}
