import type { DeliveryStatus } from './status.js';

/** Every channel a message can go out on: SMS for Evo Voice endpoints, edna's channels for edna sends. */
export type Channel = string;

/** What a provider is asked to hand off: one message to one destination. */
export interface OutboundMessage {
  messageId: string;
  sessionId: string;
  accountId: string;
  channel: Channel;
  /** The endpoint's own address (the origination identity of an SMS). */
  from: string;
  to: string;
  text: string;
  segments: number;
}

/**
 * The outcome of one hand-off attempt.
 * - `accepted`: the provider has it (`providerMessageId`).
 * - `rejected`: it certainly does not; `retryable` for throttling and temporary errors.
 * - `ambiguous`: the call's outcome is unknown (a timeout, a lost answer): it may have been handed off.
 */
export type SendResult =
  | { kind: 'accepted'; providerMessageId: string }
  | { kind: 'rejected'; retryable: boolean; errorCode: string; errorMessage: string }
  | { kind: 'ambiguous'; errorMessage: string };

/** A status the provider reported for one message, normalised to our model. */
export interface StatusReport {
  /** Unique per report as the provider sent it: a redelivered report is recognised and kept once. */
  reportId: string;
  messageId: string;
  provider: string;
  status: DeliveryStatus;
  /** The provider's own status name and error code, kept in the history as they came. */
  providerStatus: string;
  errorCode?: string;
  /** The provider's id of the hand-off: a report is applied only to the delivery of that hand-off. */
  providerMessageId: string;
  /** ISO 8601, when the provider says it happened. */
  occurredAt: string;
}

/**
 * A provider of one or more channels. `idempotent`: `send` takes the message id as an idempotency
 * token, so a repeat after an ambiguous failure can not hand the message off twice; a provider
 * without one is never called again for a message whose hand-off is in doubt.
 */
export interface MessageProvider {
  readonly name: string;
  readonly idempotent: boolean;
  send(message: OutboundMessage): Promise<SendResult>;
}
