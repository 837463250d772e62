import type { Producer } from '../domain/commands.js';

/**
 * Every key of the one table (docs/table-design.md). Pure, so the key design is unit-tested.
 * pk/sk are generic strings; the prefix names the entity.
 */
export interface Key {
  pk: string;
  sk: string;
}

export const keys = {
  account: (accountId: string): Key => ({ pk: `ACCOUNT#${accountId}`, sk: 'ACCOUNT' }),
  credential: (secretHash: string): Key => ({ pk: `CREDENTIAL#${secretHash}`, sk: 'CREDENTIAL' }),
  endpoint: (endpointId: string): Key => ({ pk: `ENDPOINT#${endpointId}`, sk: 'ENDPOINT' }),
  /** The uniqueness item of (endpoint, peer): its conditional write is what makes one session per pair. */
  /** Its own partition prefix, not the endpoint's, so that IAM can let sends write peers but not endpoints. */
  peer: (endpointId: string, otherAddress: string): Key => ({ pk: `PEER#${endpointId}#${otherAddress}`, sk: 'PEER' }),
  /** A claimed idempotency key, scoped to its account so that two accounts can never collide. */
  idempotency: (accountId: string, keyHash: string): Key => ({ pk: `IDEMPOTENCY#${accountId}#${keyHash}`, sk: 'IDEMPOTENCY' }),
  /** An edna client (a device in a channel, or an external client id) of an account. */
  ednaClient: (accountId: string, clientKey: string): Key => ({ pk: `EDNA_CLIENT#${accountId}#${clientKey}`, sk: 'CLIENT' }),
  /** The counter edna's numeric ids are reserved from, in blocks. */
  ednaCounter: (): Key => ({ pk: 'COUNTER#EDNA', sk: 'COUNTER' }),
  /** An event producer's binding to the tenants it may act for, keyed by the identity AWS vouches for. */
  producer: (producer: Producer): Key => ({
    pk: producer.kind === 'sqs' ? `PRODUCER#sqs#${producer.senderId}` : `PRODUCER#events#${producer.account}#${producer.source}`,
    sk: 'PRODUCER',
  }),
  /**
   * An account's limits (destination countries, daily quota), set by operators. In the account's
   * partition after its endpoint listings, so that one Query reads both (the default countries).
   */
  accountLimits: (accountId: string): Key => ({ pk: `ACCOUNT#${accountId}`, sk: ACCOUNT_LIMITS_SK }),
  /** An account's sends on one UTC day (YYYY-MM-DD): only ever added to, by the send functions. */
  quota: (accountId: string, day: string): Key => ({ pk: `QUOTA#${accountId}#${day}`, sk: 'QUOTA' }),
  /** Provisioning's own items (docs/table-design.md): an issued key's record and an endpoint's listing, in the account's partition. */
  accountKey: (accountId: string, keyId: string): Key => ({ pk: `ACCOUNT#${accountId}`, sk: `KEY#${keyId}` }),
  accountEndpoint: (accountId: string, endpointId: string): Key => ({ pk: `ACCOUNT#${accountId}`, sk: `ENDPOINT#${endpointId}` }),
  /** The operators' directory of accounts and producers: one small partition, listed without a scan. */
  directory: (entity: Key): Key => ({ pk: DIRECTORY, sk: entity.pk }),
  session: (sessionId: string): Key => ({ pk: `SESSION#${sessionId}`, sk: 'SESSION' }),
  /** An account's callback subscription: its own prefix, so IAM lets the callback functions read subscriptions and nothing of the account. */
  callbackSubscription: (accountId: string, subscriptionId: string): Key => ({
    pk: `CALLBACKS#${accountId}`,
    sk: `${CALLBACK_SUBSCRIPTION_PREFIX}${subscriptionId}`,
  }),
  /**
   * Which endpoint owns a phone number (E.164): how an inbound message finds its endpoint. Written with
   * the endpoint by provisioning, only if absent, so a number has one owner.
   */
  number: (e164: string): Key => ({ pk: `NUMBER#${e164}`, sk: 'NUMBER' }),
  /** Messages share their session's partition; ULID sort keys order them by time. */
  message: (sessionId: string, messageId: string): Key => ({ pk: `SESSION#${sessionId}`, sk: `${MESSAGE_PREFIX}${messageId}` }),
  /**
   * A message's delivery (status, history, provider ids): its own partition, not the session's, so
   * that status writes never touch the message (or its three index copies) and IAM can let the
   * delivery functions write deliveries but no message or session.
   */
  delivery: (messageId: string): Key => ({ pk: `DELIVERY#${messageId}`, sk: 'DELIVERY' }),
  /**
   * Where a sweeper pass resumes (lib/domain/delivery/sweep.ts): in the delivery pipeline's own key
   * space, which no message id can reach (ids are ULIDs), so the pipeline's IAM covers it.
   */
  sweepCheckpoint: (name: string, pass: string): Key => ({ pk: 'DELIVERY#SWEEP', sk: `CHECKPOINT#${name}#${pass}` }),
  /** The simulated carrier's record of a message handed to it (local and test stages only). */
  carrierHandoff: (messageId: string): Key => ({ pk: CARRIER_PARTITION, sk: `${CARRIER_HANDOFF_PREFIX}${messageId}` }),
  /** A status report the simulated carrier will send, due at `dueAt` (ISO 8601, so keys sort by time). */
  carrierReport: (dueAt: string, reportId: string): Key => ({ pk: CARRIER_PARTITION, sk: `${CARRIER_REPORT_PREFIX}${dueAt}#${reportId}` }),
  /**
   * An account's opt-out list (docs/consent.md): one partition per account, so the list is one Query
   * and IAM names it (`OPTOUTS#*`). The current state of a number, each change of it (the evidence,
   * in time order: change ids are ULIDs), and the account's confirmation texts.
   */
  consent: (accountId: string, e164: string): Key => ({ pk: `${OPTOUTS_PREFIX}${accountId}`, sk: `${CONSENT_NUMBER_PREFIX}${e164}` }),
  consentChange: (accountId: string, e164: string, changeId: string): Key => ({
    pk: `${OPTOUTS_PREFIX}${accountId}`,
    sk: `${CONSENT_CHANGE_PREFIX}${e164}#${changeId}`,
  }),
  consentSettings: (accountId: string): Key => ({ pk: `${OPTOUTS_PREFIX}${accountId}`, sk: 'SETTINGS' }),
};

export const OPTOUTS_PREFIX = 'OPTOUTS#';
export const CONSENT_NUMBER_PREFIX = 'NUMBER#';
export const CONSENT_CHANGE_PREFIX = 'CHANGE#';

export const MESSAGE_PREFIX = 'MESSAGE#';
export const ACCOUNT_LIMITS_SK = 'LIMITS';
export const CALLBACK_SUBSCRIPTION_PREFIX = 'SUB#';
export const DIRECTORY = 'DIRECTORY';
export const CARRIER_PARTITION = 'CARRIER#simulated';
export const CARRIER_HANDOFF_PREFIX = 'HANDOFF#';
export const CARRIER_REPORT_PREFIX = 'REPORT#';

/**
 * The global secondary indexes of messages (docs/table-design.md). Each partition key carries the
 * account, so another tenant's endpoint or customer id addresses an empty partition: tenancy by
 * construction. Each is split into MESSAGE_INDEX_SHARDS partitions by a hash of the message id, so
 * one busy account, endpoint or customer spreads its writes over several GSI partitions. The sort
 * key of all three is the message id (a ULID: time order).
 */
export const MESSAGE_INDEXES = {
  account: { indexName: 'byAccount', partitionKey: 'gsiAccount' },
  endpoint: { indexName: 'byEndpoint', partitionKey: 'gsiEndpoint' },
  customer: { indexName: 'byCustomer', partitionKey: 'gsiCustomer' },
} as const;
export type MessageIndexName = keyof typeof MESSAGE_INDEXES;
export const MESSAGE_INDEX_SORT_KEY = 'id';
export const MESSAGE_INDEX_SHARDS = 4;

/** FNV-1a: a stable, evenly spread shard number for an id (no crypto needed, and the same in every runtime). */
export function messageShard(messageId: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < messageId.length; i++) hash = Math.imul(hash ^ messageId.charCodeAt(i), 0x01000193);
  return (hash >>> 0) % MESSAGE_INDEX_SHARDS;
}

/**
 * The partition key value of one index, for one owner (the account, or account + endpoint/customer)
 * and shard. The `MESSAGES#` prefix lets IAM name index partitions in a LeadingKeys condition.
 */
export function messageIndexPartition(index: MessageIndexName, accountId: string, ownerId: string | undefined, shard: number): string {
  return index === 'account' ? `MESSAGES#${accountId}#${shard}` : `MESSAGES#${accountId}#${ownerId}#${shard}`;
}

/** The index attributes a message item carries, so that it appears in every index; spread into the item. */
export function messageIndexKeys(message: {
  id: string;
  accountId: string;
  endpointId: string;
  customerId: string;
}): Record<string, string> {
  const shard = messageShard(message.id);
  return {
    [MESSAGE_INDEXES.account.partitionKey]: messageIndexPartition('account', message.accountId, undefined, shard),
    [MESSAGE_INDEXES.endpoint.partitionKey]: messageIndexPartition('endpoint', message.accountId, message.endpointId, shard),
    [MESSAGE_INDEXES.customer.partitionKey]: messageIndexPartition('customer', message.accountId, message.customerId, shard),
  };
}
