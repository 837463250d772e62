import type { Principal } from '../auth.js';
import { fingerprint, storeOnce, type IdempotencyDeps } from '../idempotency.js';
import { outgoingMessage } from '../message-info.js';
import type { IdGenerator } from '../ports.js';
import type { Session } from '../session.js';
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
  getClient(accountId: string, clientKey: string): Promise<EdnaClient | undefined>;
  /** Creates the client unless it exists; returns the one that exists afterwards. */
  createClient(client: EdnaClient): Promise<EdnaClient>;
}

/** edna's ids are numbers: positive safe integers, unique, never reused (gaps allowed). */
export interface NumberAllocator {
  next(): Promise<number>;
}

export interface EdnaDeps extends IdempotencyDeps {
  clients: EdnaClientStore;
  numbers: NumberAllocator;
  ids: IdGenerator;
}

/** The response of outgoing-to-device, as the seed shows it. */
export interface OutgoingToDeviceResult {
  id: number;
  threadId: number;
  clientId: number;
  clientExternalId: string | null;
  agentId: number;
}

export async function sendToDevice(deps: EdnaDeps, principal: Principal, send: OutgoingToDevice, idempotencyKey?: string): Promise<OutgoingToDeviceResult> {
  const client = await findOrCreateClient(deps, principal.accountId, send);
  const id = await deps.numbers.next();
  const message = outgoingMessage(client.session, storedText(send), deps.ids.next(), deps.clock.now());
  const stored = { ...message, otherAddress: send.descriptor.deviceAddress, ednaId: id };
  const reply: OutgoingToDeviceResult = {
    id,
    threadId: client.threadId,
    clientId: client.clientId,
    clientExternalId: client.clientExternalId,
    // Events carry no token, hence no agent: 0 there.
    agentId: principal.agentId ?? 0,
  };
  const idempotency = idempotencyKey === undefined
    ? undefined
    : { accountId: principal.accountId, key: idempotencyKey, fingerprint: fingerprint('OutgoingToDevice', { ...send, descriptorField: undefined }) };
  return (await storeOnce(deps, idempotency, { message: stored, reply })).reply;
}

/** Who the client is: the authorised external id, else the unauthorised one, else the device in its channel. */
function clientKey({ descriptor }: OutgoingToDevice): string {
  if (descriptor.clientId) return `external:${descriptor.clientId}`;
  if (descriptor.unauthorizedClientId) return `unauthorized:${descriptor.unauthorizedClientId}`;
  return `device:${descriptor.channelType}:${descriptor.deviceAddress}`;
}

async function findOrCreateClient(deps: EdnaDeps, accountId: string, send: OutgoingToDevice): Promise<EdnaClient> {
  const key = clientKey(send);
  const existing = await deps.clients.getClient(accountId, key);
  if (existing) return existing;
  const [clientId, threadId] = [await deps.numbers.next(), await deps.numbers.next()];
  const channel = send.descriptor.channelType;
  const endpointId = `edna-${channel.toLowerCase()}`;
  return deps.clients.createClient({
    accountId,
    clientKey: key,
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
  });
}
