import type { Principal } from './auth.js';
import { invalidField, notFound } from './errors.js';
import { fingerprint, storeOnce, type Placement } from './idempotency.js';
import { runGuards, type SendGuard } from './limits/guard.js';
import { outgoingMessage, type StoredMessage } from './message-info.js';
import type { Clock, EndpointStore, IdempotencyStore, IdGenerator, MessageStore, PhoneNumbers, SessionStore } from './ports.js';
import type { SendTarget } from './send-message.js';
import { newSession, ownSession, type Endpoint, type Session } from './session.js';

export interface SendDeps {
  sessions: SessionStore;
  endpoints: EndpointStore;
  messages: MessageStore;
  idempotency: IdempotencyStore;
  phones: PhoneNumbers;
  clock: Clock;
  ids: IdGenerator;
  /** Checks that may refuse the send before anything is stored (lib/domain/limits/guard.ts). */
  guards?: readonly SendGuard[];
}

/**
 * Sends `text` to `target` on behalf of `principal` and returns the stored message. Everything that
 * can refuse the send (validation, tenancy, the guards, the idempotency key) is decided before
 * anything is written; a new peer's session is created in the same transaction as its first message.
 */
export async function sendMessage(
  deps: SendDeps,
  principal: Principal,
  target: SendTarget,
  text: string,
  idempotencyKey?: string,
): Promise<StoredMessage> {
  const destination = await resolve(deps, principal, target);
  const to = 'session' in destination ? destination.session.otherAddress : destination.otherAddress;
  const field = target.kind === 'session' ? 'sessionId' : 'toAddress';
  await runGuards(deps.guards, { accountId: principal.accountId, channel: 'SMS', to, phone: true, field });
  const fresh = { messageId: deps.ids.next(), sessionId: 'session' in destination ? destination.session.sessionId : deps.ids.next() };
  const request =
    idempotencyKey === undefined
      ? undefined
      : { accountId: principal.accountId, key: idempotencyKey, fingerprint: fingerprint('SendMessage', { ...destination.address, text }) };
  return storeOnce(deps, request, fresh, placement(deps, destination, text));
}

/**
 * Where a send goes: a session of the caller's, or an endpoint of the caller's and a peer it has not
 * talked to yet. `address` is what the caller named, normalised: the fingerprint's part, the same
 * before and after the pair's session exists.
 */
type Destination =
  | { address: { sessionId: string } | { endpointId: string; otherAddress: string }; session: Session }
  | { address: { endpointId: string; otherAddress: string }; endpoint: Endpoint; otherAddress: string };

/**
 * Tenancy lives here, before any lookup that depends on it: another account's session or endpoint is
 * reported exactly like a missing one, after the same reads, and a peer is looked up only on the
 * caller's own endpoint.
 */
async function resolve(deps: SendDeps, principal: Principal, target: SendTarget): Promise<Destination> {
  if (target.kind === 'session') {
    const session = await ownSession(deps, principal, target.sessionId);
    return { address: { sessionId: session.sessionId }, session };
  }
  const otherAddress = deps.phones.toE164(target.toAddress, 'toAddress');
  const endpoint = await deps.endpoints.getEndpoint(principal.accountId, target.endpointId);
  if (!endpoint) throw notFound('Endpoint', 'endpointId');
  const address = { endpointId: endpoint.endpointId, otherAddress };
  const session = await deps.sessions.findPeerSession(endpoint.endpointId, otherAddress);
  return session ? { address, session } : { address, endpoint, otherAddress };
}

function placement(deps: SendDeps, destination: Destination, text: string): Placement {
  const now = deps.clock.now();
  if ('session' in destination) {
    const { session } = destination;
    return {
      find: (ids) => deps.messages.getMessage(session.sessionId, ids.messageId),
      write: (ids) => deps.messages.putMessage(outgoingMessage(session, text, ids.messageId, now)),
    };
  }
  const { endpoint, otherAddress } = destination;
  return {
    find: async (ids) => {
      const existing = await deps.sessions.findPeerSession(endpoint.endpointId, otherAddress, true);
      return existing && deps.messages.getMessage(existing.sessionId, ids.messageId);
    },
    write: async (ids) => {
      const proposed = newSession(endpoint, otherAddress, ids.sessionId);
      const first = outgoingMessage(proposed, text, ids.messageId, now);
      const { value, created } = await deps.sessions.createPeerSession(proposed, first);
      // Another send created the pair's session first: the message goes there, still under its own id.
      return created ? first : deps.messages.putMessage(outgoingMessage(value, text, ids.messageId, now));
    },
  };
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
