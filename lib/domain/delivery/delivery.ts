import { CHANNEL_TYPES } from '../edna/channels.js';
import type { Channel } from './provider.js';
import type { DeliveryStatus } from './status.js';

/** One entry of a message's history: every status change, and every report, applied or not. */
export interface HistoryEntry {
  status: DeliveryStatus;
  /** ISO 8601: when it happened, as its source says. */
  date: string;
  /** `dispatch`, or the provider that reported it. */
  source: string;
  /** False for a report that arrived late, twice or out of order and so did not change the status. */
  applied: boolean;
  /**
   * Why a report was refused whatever its status (never with `applied: true`): `provider-mismatch`
   * when it names another provider, or another provider message id than the delivery's.
   */
  rejected?: 'provider-mismatch';
  providerStatus?: string;
  errorCode?: string;
  /** The dispatcher's consent check at hand-off, on its outcome's entry: what the opt-out list said (docs/consent.md). */
  consent?: string;
}

/** A message's delivery: created by the dispatcher's claim, then moved forward by outcomes and reports. */
export interface Delivery {
  messageId: string;
  sessionId: string;
  accountId: string;
  channel: Channel;
  provider: string;
  /** The stream record being dispatched (stable across its redeliveries). */
  attemptId: string;
  /** The invocation that claimed it: an SDK retry of the claim itself is recognised as its own. */
  invocationId: string;
  claimedAt: string;
  /**
   * When the provider was (about to be) called: set just before the call, so that a claim without it
   * is known never to have reached the provider. Set with the claim for a provider with an idempotency
   * token, which may be asked again anyway.
   */
  handOffStartedAt?: string;
  attempts: number;
  segments: number;
  encoding: string;
  status: DeliveryStatus;
  statusUpdatedAt: string;
  providerMessageId?: string;
  providerStatus?: string;
  errorCode?: string;
  errorMessage?: string;
  /** Bounded (lib/domain/delivery/history.ts): every applied change and the newest reports. */
  history: HistoryEntry[];
  /** How many unapplied entries were dropped from the history to bound it; absent when none was. */
  historyDropped?: number;
}

/** A change proposed to a delivery: applied only if it moves the status forward. */
export interface StatusUpdate {
  /** Unique per change: the same report delivered twice is kept once. */
  reportId: string;
  status: DeliveryStatus;
  date: string;
  source: string;
  providerStatus?: string;
  errorCode?: string;
  errorMessage?: string;
  /** The consent check's finding at hand-off (`opted-in`, `opted-out`, `consent-reply`, `not-a-number`). */
  consent?: string;
  /** The dispatcher's own record of the hand-off: the id the provider answered it with (authoritative). */
  providerMessageId?: string;
  attempts?: number;
  /**
   * A provider's report: it applies only to a delivery of that provider whose provider message id is
   * this one, or is not recorded yet (a report overtaking the hand-off's answer: then it records it).
   * Anything else is kept in the history as rejected, never applied. The dispatcher's changes have none.
   */
  match?: { provider: string; providerMessageId: string };
}

/**
 * `applied`: the status moved; `kept`: in the history only (late, out of order); `rejected`: in the
 * history only, for another provider's message; `duplicate`: seen before; `missing`: no such delivery.
 */
export type ChangeOutcome = 'applied' | 'kept' | 'rejected' | 'duplicate' | 'missing';

/** True when a report names the delivery's provider and its provider message id (or none is recorded yet). */
export const matchesDelivery = (delivery: Pick<Delivery, 'provider' | 'providerMessageId'>, match: StatusUpdate['match']): boolean =>
  match === undefined ||
  (match.provider === delivery.provider &&
    (delivery.providerMessageId === undefined || delivery.providerMessageId === match.providerMessageId));

/** The hand-off marker's write: `to` will call the provider, taking the claim over from `from` (itself, or a failed invocation). */
export interface HandOffStart {
  from: string;
  to: string;
  at: string;
  /** The claim is `queued` (not handed off yet): the marker moves it to `sending`. */
  queued: boolean;
}

export interface DeliveryStore {
  /** Creates the delivery unless one exists; returns the existing one when it does. */
  claim(delivery: Delivery): Promise<Delivery | undefined>;
  /**
   * Sets the hand-off marker, only if `from` holds the claim and no hand-off was started: true when
   * this call set it (its own retry included), false when another invocation did.
   */
  startHandOff(messageId: string, start: HandOffStart): Promise<boolean>;
  /** Clears the marker of a hand-off that certainly did not happen, if `invocationId` still holds the claim: it may be tried again. */
  abandonHandOff(messageId: string, invocationId: string): Promise<void>;
  /** One conditional write: the status, its history entry and the report's id together. */
  change(messageId: string, change: StatusUpdate): Promise<ChangeOutcome>;
  /** `consistent`: a strongly consistent read, to learn whether a write whose answer was lost landed. */
  get(messageId: string, consistent?: boolean): Promise<Delivery | undefined>;
}

/** Segments and encoding of a text, as an SMS carrier counts them. */
export type SegmentCounter = (text: string) => { segments: number; encoding: string };

/**
 * The channel a message goes out on: edna's pseudo-endpoints are named `edna-<channel>`; every other
 * endpoint is a phone line of the tenant's own (`SMS`). edna's SMS is `EDNA_SMS`, a channel of its
 * own: it has no number of the tenant's to send from (its sender is the pseudo-endpoint), so
 * `SMS=aws-sms` must not send it.
 */
export const channelOf = (message: { endpointId: string }): Channel => {
  if (!message.endpointId.startsWith('edna-')) return 'SMS';
  const type = message.endpointId.slice('edna-'.length).toUpperCase();
  return type === 'SMS' ? 'EDNA_SMS' : type;
};

/** Every channel a message can go out on, hence every channel a stage must give a provider. */
export const CHANNELS: readonly Channel[] = [
  ...new Set(['SMS', ...CHANNEL_TYPES.map((type) => channelOf({ endpointId: `edna-${type}` }))]),
];
