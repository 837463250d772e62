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
  session: (sessionId: string): Key => ({ pk: `SESSION#${sessionId}`, sk: 'SESSION' }),
  /** Messages share their session's partition; ULID sort keys order them by time. */
  message: (sessionId: string, messageId: string): Key => ({ pk: `SESSION#${sessionId}`, sk: `${MESSAGE_PREFIX}${messageId}` }),
};

export const MESSAGE_PREFIX = 'MESSAGE#';
