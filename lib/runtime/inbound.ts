import type { InboundDeps, InboundMessage } from '../domain/inbound.js';
import { phoneNumbers } from '../domain/phone.js';
import { deterministicUlid, ulidGenerator } from '../ids.js';
import { providers } from '../providers/index.js';
import type { Notification } from '../providers/registry.js';
import { endpointOfNumber } from '../store/numbers.js';
import { messageStore, sessionStore, type Container } from './index.js';

/** What storing an inbound message needs (functions `inbound` and `carrier-inbound`). */
export function inboundDeps({ table }: Container): InboundDeps {
  const ids = ulidGenerator();
  return {
    endpointOfNumber: (e164) => endpointOfNumber(table, e164),
    sessions: sessionStore(table),
    messages: messageStore(table),
    phones: phoneNumbers,
    inboundId: (endpointId, provider, providerMessageId, receivedAt) =>
      deterministicUlid(receivedAt, `${endpointId}:${provider}:${providerMessageId}`),
    newId: () => ids.next(),
  };
}

const parsers = Object.values(providers).flatMap((provider) => ('inbound' in provider && provider.inbound ? [provider.inbound] : []));

/**
 * A notification from the stage's inbound topic as a provider's incoming message, or undefined when
 * no provider reads it. Every provider's parser is asked: the message is stored only for a number
 * an endpoint owns, whichever provider carried it.
 */
export function inboundMessage(notification: Notification): InboundMessage | undefined {
  for (const parse of parsers) {
    const message = parse(notification);
    if (message) return message;
  }
  return undefined;
}
