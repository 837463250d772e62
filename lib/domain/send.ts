import type { Principal } from './auth.js';
import { invalidField, notFound } from './errors.js';
import { outgoingMessage, type StoredMessage } from './message-info.js';
import { fingerprint, storeOnce } from './idempotency.js';
import type { Clock, EndpointStore, IdempotencyStore, IdGenerator, MessageStore, PhoneNumbers, SessionStore } from './ports.js';
import type { SendTarget } from './send-message.js';
import { newSession, ownSession, type Session } from './session.js';

export interface SendDeps {
  sessions: SessionStore;
  endpoints: EndpointStore;
  messages: MessageStore;
  idempotency: IdempotencyStore;
  phones: PhoneNumbers;
  clock: Clock;
  ids: IdGenerator;
}

/**
 * Sends `text` to `target` on behalf of `principal` and returns the stored message. With an
 * idempotency key, a repeat of the same request returns the first send's message, stored once.
 */
export async function sendMessage(
  deps: SendDeps,
  principal: Principal,
  target: SendTarget,
  text: string,
  idempotencyKey?: string,
): Promise<StoredMessage> {
  const session = await resolveSession(deps, principal, target);
  const message = outgoingMessage(session, text, deps.ids.next(), deps.clock.now());
  const idempotency = idempotencyKey === undefined
    ? undefined
    : { accountId: principal.accountId, key: idempotencyKey, fingerprint: fingerprint('SendMessage', { sessionId: session.sessionId, text }) };
  return (await storeOnce(deps, idempotency, { message, reply: undefined })).message;
}

/** Tenancy lives here: another account's session or endpoint is reported exactly like a missing one. */
async function resolveSession(deps: SendDeps, principal: Principal, target: SendTarget): Promise<Session> {
  if (target.kind === 'session') return ownSession(deps, principal, target.sessionId);

  const otherAddress = deps.phones.toE164(target.toAddress, 'toAddress');
  const existing = await deps.sessions.findPeerSession(target.endpointId, otherAddress);
  if (existing) {
    if (existing.accountId !== principal.accountId) throw notFound('Endpoint', 'endpointId');
    return existing;
  }
  const endpoint = await deps.endpoints.getEndpoint(target.endpointId);
  if (!endpoint || endpoint.accountId !== principal.accountId) throw notFound('Endpoint', 'endpointId');
  return deps.sessions.createPeerSession(newSession(endpoint, otherAddress, deps.ids.next()));
}

/**
 * For routes whose path always names the session: they never normalise a phone number, so their
 * bundles need not carry libphonenumber's metadata.
 */
export const sessionsOnly: PhoneNumbers = {
  toE164: (_address, field) => {
    throw invalidField(field, 'NotSupported', `'${field}' is not used on this route: the path names the session.`);
  },
};
