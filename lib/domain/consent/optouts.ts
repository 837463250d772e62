import { DomainError } from '../errors.js';

/**
 * The opt-out list (docs/consent.md): one state per (account, recipient number in E.164), across all
 * of the account's endpoints, and every change kept as evidence: what it was, what it became, why,
 * from what (an inbound message, an API key, an operator, the provider) and when.
 */
export type ConsentState = 'optedOut' | 'optedIn';

/** Where a change came from: the evidence a compliance officer asks for. */
export type ConsentSource =
  /** The recipient sent a keyword: the inbound message that carried it, and where it arrived. */
  | { kind: 'keyword'; inboundMessageId: string; receivedAt: string; sessionId: string; endpointId: string; text: string }
  /** A tenant's API call: the key that made it. */
  | { kind: 'api'; keyId: string }
  /** An operator's CLI command (`import` names the file). */
  | { kind: 'cli' | 'import'; operator: string; file?: string }
  /** The provider refused a send because the number opted out there (AWS DESTINATION_PHONE_NUMBER_OPTED_OUT). */
  | { kind: 'provider'; provider: string; messageId: string };

export interface ConsentChange {
  /** Unique per change; derived from the inbound message id for a keyword, so a redelivery records nothing new. */
  changeId: string;
  accountId: string;
  number: string;
  state: ConsentState;
  /** The state before; null when the number had never been recorded (which counts as opted in). */
  previousState: ConsentState | null;
  reason: string;
  source: ConsentSource;
  /** Who: `recipient`, a key id, `operator:<name>`, the provider's name. */
  by: string;
  /** ISO 8601: when it happened (the inbound message's receipt time for a keyword). */
  at: string;
}

/** The current state of one (account, number), with the change that set it. */
export interface ConsentRecord {
  accountId: string;
  number: string;
  state: ConsentState;
  /** 1 for the first change, +1 each change: the condition of the next write. */
  version: number;
  updatedAt: string;
  lastChange: ConsentChange;
}

export interface ConsentPage {
  records: ConsentRecord[];
  /** Where the next page starts, when more may follow. */
  cursor?: string;
}

export type RecordResult = 'recorded' | 'duplicate' | 'conflict';

export interface ConsentStore {
  getConsent(accountId: string, number: string, consistent?: boolean): Promise<ConsentRecord | undefined>;
  /**
   * Writes the change and the new current state together, only if the change id is new (else
   * `duplicate`) and the current state is still at `expectedVersion` (0: none yet; else `conflict`).
   */
  recordChange(change: ConsentChange, expectedVersion: number): Promise<RecordResult>;
  /** The account's records in number order, opted-out ones only unless `all`. */
  listConsent(accountId: string, page: { limit: number; cursor?: string; all?: boolean }): Promise<ConsentPage>;
  /** Every change of one number, oldest first. */
  history(accountId: string, number: string): Promise<ConsentChange[]>;
}

/** A number never recorded is opted in: consent to message it is the sender's to prove, not ours. */
export const isOptedOut = (record: Pick<ConsentRecord, 'state'> | undefined): boolean => record?.state === 'optedOut';

export type ChangeRequest = Omit<ConsentChange, 'previousState'>;

export type ChangeOutcome =
  | { changed: true; change: ConsentChange }
  /** Already in that state, or this change id was recorded before (a redelivery). */
  | { changed: false; record: ConsentRecord | undefined };

const MAX_ATTEMPTS = 3;

/**
 * Sets a number's state, recording the change with its evidence; a no-op when the number is already in
 * that state or the change was recorded before. Concurrent writers are serialised by the version
 * condition: the loser reads again and decides again.
 */
export async function changeConsent(store: ConsentStore, request: ChangeRequest): Promise<ChangeOutcome> {
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const current = await store.getConsent(request.accountId, request.number, true);
    if ((current?.state ?? 'optedIn') === request.state) return { changed: false, record: current };
    const change: ConsentChange = { ...request, previousState: current?.state ?? null };
    const result = await store.recordChange(change, current?.version ?? 0);
    if (result === 'recorded') return { changed: true, change };
    if (result === 'duplicate') return { changed: false, record: current };
  }
  throw new DomainError('unavailable', 'The opt-out list changed under concurrent writes; retry later');
}

/** The record a change leaves, as the store writes it. */
export const recordAfter = (change: ConsentChange, version: number): ConsentRecord => ({
  accountId: change.accountId,
  number: change.number,
  state: change.state,
  version,
  updatedAt: change.at,
  lastChange: change,
});
