import type { Principal } from '../auth.js';
import { fingerprint, storeOnce, type IdempotencyDeps, type Placement } from '../idempotency.js';
import { runGuards, type SendGuard } from '../limits/guard.js';
import { outgoingMessage, type EdnaReply, type StoredMessage } from '../message-info.js';
import type { Created, IdGenerator, MessageStore } from '../ports.js';
import type { Session } from '../session.js';
import { DEVICE_ADDRESS_RULES, PHONE_ADDRESS } from './channels.js';
import { storedText, type OutgoingToDevice } from './outgoing-to-device.js';

/**
 * An edna client: a device in a channel, or the external client named by the descriptor's
 * clientId. It has one thread, which is this service's session, so its messages are listed and
 * stored like every other message.
 */
export interface EdnaClient {
  accountId: string;
  clientKey: string;
  clientId: number;
  threadId: number;
  clientExternalId: string | null;
  session: Session;
}

export interface EdnaClientStore {
  getClient(accountId: string, clientKey: string, consistent?: boolean): Promise<EdnaClient | undefined>;
  /** Creates the client and its thread together with the thread's first message, unless the client exists: then it creates nothing and returns that one. */
  createClient(client: EdnaClient, first: StoredMessage): Promise<Created<EdnaClient>>;
}

/** edna's ids are numbers: positive safe integers, unique, never reused (gaps allowed). */
export interface NumberAllocator {
  next(): Promise<number>;
}

export interface EdnaDeps extends IdempotencyDeps {
  clients: EdnaClientStore;
  numbers: NumberAllocator;
  messages: MessageStore;
  ids: IdGenerator;
  /** Checks that may refuse the send before anything is stored (lib/domain/limits/guard.ts). */
  guards?: readonly SendGuard[];
}

/** The response of outgoing-to-device. */
export type OutgoingToDeviceResult = EdnaReply;

/**
 * Sends to a device. Nothing is written, and no number is taken, until the guards have passed and
 * the idempotency key (if any) is claimed; a new client, its thread and its first message are
 * created in one transaction.
 */
export async function sendToDevice(
  deps: EdnaDeps,
  principal: Principal,
  send: OutgoingToDevice,
  idempotencyKey?: string,
): Promise<OutgoingToDeviceResult> {
  const { channelType, deviceAddress } = send.descriptor;
  const phone = DEVICE_ADDRESS_RULES[channelType] === PHONE_ADDRESS;
  await runGuards(deps.guards, {
    accountId: principal.accountId,
    channel: channelType,
    to: phone ? `+${deviceAddress}` : deviceAddress,
    phone,
    field: `${send.descriptorField}.deviceAddress`,
  });
  const key = clientKey(send);
  const client = await deps.clients.getClient(principal.accountId, key);
  const fresh = { messageId: deps.ids.next(), sessionId: client?.session.sessionId ?? '' };
  const request =
    idempotencyKey === undefined
      ? undefined
      : {
          accountId: principal.accountId,
          key: idempotencyKey,
          fingerprint: fingerprint('OutgoingToDevice', { ...send, descriptorField: undefined }),
        };
  const stored = await storeOnce(deps, request, fresh, placement(deps, principal, key, client, send));
  if (!stored.edna) throw new Error(`Message ${stored.id} holds no edna reply`);
  return stored.edna;
}

function placement(deps: EdnaDeps, principal: Principal, key: string, client: EdnaClient | undefined, send: OutgoingToDevice): Placement {
  const now = deps.clock.now();
  // Events carry no token, hence no agent: 0 there.
  const agentId = principal.agentId ?? 0;
  const message = (to: EdnaClient, messageId: string, id: number): StoredMessage => ({
    ...outgoingMessage(to.session, storedText(send), messageId, now),
    otherAddress: send.descriptor.deviceAddress,
    edna: { id, threadId: to.threadId, clientId: to.clientId, clientExternalId: to.clientExternalId, agentId },
  });
  if (client) {
    return {
      find: (ids) => deps.messages.getMessage(client.session.sessionId, ids.messageId),
      write: async (ids) => deps.messages.putMessage(message(client, ids.messageId, await deps.numbers.next())),
    };
  }
  return {
    find: async (ids) => {
      const existing = await deps.clients.getClient(principal.accountId, key, true);
      return existing && deps.messages.getMessage(existing.session.sessionId, ids.messageId);
    },
    write: async (ids) => {
      const [clientId, threadId, id] = [await deps.numbers.next(), await deps.numbers.next(), await deps.numbers.next()];
      const proposed = newClient(principal.accountId, key, send, clientId, threadId);
      const first = message(proposed, ids.messageId, id);
      const { value, created } = await deps.clients.createClient(proposed, first);
      // A concurrent first send to the device created its client first: the message joins that thread.
      return created ? first : deps.messages.putMessage(message(value, ids.messageId, id));
    },
  };
}

/** Who the client is: the authorised external id, else the unauthorised one, else the device in its channel. */
function clientKey({ descriptor }: OutgoingToDevice): string {
  if (descriptor.clientId) return `external:${descriptor.clientId}`;
  if (descriptor.unauthorizedClientId) return `unauthorized:${descriptor.unauthorizedClientId}`;
  return `device:${descriptor.channelType}:${descriptor.deviceAddress}`;
}

function newClient(accountId: string, clientKey: string, send: OutgoingToDevice, clientId: number, threadId: number): EdnaClient {
  const channel = send.descriptor.channelType;
  const endpointId = `edna-${channel.toLowerCase()}`;
  return {
    accountId,
    clientKey,
    clientId,
    threadId,
    clientExternalId: send.descriptor.clientId ?? null,
    session: {
      sessionId: `thread-${threadId}`,
      accountId,
      endpointId,
      customerId: accountId,
      endpointDisplayName: `edna ${channel}`,
      sender: endpointId,
      otherAddress: send.descriptor.deviceAddress,
    },
  };
}
