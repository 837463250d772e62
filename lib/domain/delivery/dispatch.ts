import type { StoredMessage } from '../message-info.js';
import type { Clock, IdGenerator } from '../ports.js';
import { isDomainError } from '../errors.js';
import { channelOf, type Delivery, type DeliveryStore, type HandOffStart, type SegmentCounter, type StatusUpdate } from './delivery.js';
import type { HandOffConsent } from '../consent/at-hand-off.js';
import type { Channel, MessageProvider, OutboundMessage } from './provider.js';

export interface DispatchDeps {
  deliveries: DeliveryStore;
  providerFor(channel: Channel): MessageProvider;
  countSegments: SegmentCounter;
  clock: Clock;
  ids: IdGenerator;
  sleep(ms: number): Promise<void>;
  /** The recipient's consent, read uncached just before the provider is called (lib/domain/consent/at-hand-off.ts). */
  consentAtHandOff?(message: StoredMessage): Promise<HandOffConsent>;
}

/**
 * Attempts per invocation for retryable rejections (throttling, a carrier's temporary error), with
 * backoff between them; then the record is retried by the stream, never the message failed.
 */
export const MAX_ATTEMPTS = 3;
export const backoffMs = (attempt: number): number => 200 * 4 ** (attempt - 1);

/**
 * Hands an accepted message to its provider, exactly once:
 * 1. The message is claimed (a conditional put of its delivery). Another record, a settled delivery
 *    or another dispatcher's live claim means there is nothing to do. A claim whose answer was lost
 *    is read back (strongly consistent), never assumed to have landed or not.
 * 2. A provider that takes the message id as an idempotency token may be asked again at any time:
 *    its claim is `sending` and is the hand-off's start. Any other provider's claim is `queued`, and
 *    the hand-off marker (`handOffStartedAt`, `sending`) is written just before the provider is
 *    called, by one conditional write that only one invocation can win.
 * 3. A claim of this very record whose outcome was never recorded (the invocation failed after
 *    claiming): without the marker the provider was never called, and the claim is taken over and
 *    handed off; with it, only a provider with the token is asked again; with any other the hand-off
 *    is in doubt, so it is recorded `unknown`, never resent blindly.
 * 4. The provider's answer is recorded with a conditional write on the status rank. A refusal for now
 *    (throttling) after every attempt records nothing: the message waits, the record is retried.
 */
/**
 * What a dispatch did: the status it recorded; `duplicate` when another claim had the message;
 * `deferred` when the provider refused for now (throttling) after every attempt: nothing recorded,
 * the record is to be retried later.
 */
export type DispatchOutcome = StatusUpdate['status'] | 'duplicate' | 'deferred';

/** A claim not settled yet: its record may still be handing it off. */
const IN_FLIGHT = new Set<Delivery['status']>(['queued', 'sending']);

export async function dispatch(deps: DispatchDeps, message: StoredMessage, attemptId: string): Promise<DispatchOutcome> {
  const channel = channelOf(message);
  const provider = deps.providerFor(channel);
  const now = deps.clock.now().toISOString();
  const invocationId = deps.ids.next();
  const { segments, encoding } = deps.countSegments(message.text);
  const initial = provider.idempotent ? 'sending' : 'queued';
  const claim: Delivery = {
    messageId: message.id,
    sessionId: message.sessionId,
    accountId: message.accountId,
    channel,
    provider: provider.name,
    attemptId,
    invocationId,
    claimedAt: now,
    ...(provider.idempotent ? { handOffStartedAt: now } : {}),
    attempts: 0,
    segments,
    encoding,
    status: initial,
    statusUpdatedAt: now,
    history: [
      { status: 'accepted', date: message.date, source: 'dispatch', applied: true },
      { status: initial, date: now, source: 'dispatch', applied: true },
    ],
  };
  const holder = (await claimOrReadBack(deps, claim)) ?? claim;
  if (holder.invocationId !== invocationId) {
    if (holder.attemptId !== attemptId || !IN_FLIGHT.has(holder.status)) return 'duplicate';
    if (!provider.idempotent && holder.handOffStartedAt) {
      return record(deps, message.id, {
        status: 'unknown',
        errorMessage: 'An earlier hand-off of this message may have reached the provider',
      });
    }
  }
  if (!provider.idempotent) {
    const start = { from: holder.invocationId, to: invocationId, at: now, queued: holder.status === 'queued' };
    // Lost to another invocation of this record, which is calling the provider now.
    if (!(await startHandOff(deps, message.id, start))) return 'duplicate';
  }
  // An opt-out recorded after the message was accepted (scheduled, queued, or within the send-side
  // cache's time) wins: the message fails with OPTED_OUT and is never handed off.
  const consent = await deps.consentAtHandOff?.(message);
  if (consent && !consent.allowed) {
    return record(deps, message.id, {
      status: 'failed',
      errorCode: consent.errorCode,
      errorMessage: consent.errorMessage,
      consent: consent.found,
    });
  }
  return handOff(deps, provider, invocationId, consent?.found, {
    messageId: message.id,
    sessionId: message.sessionId,
    accountId: message.accountId,
    channel,
    from: message.sender,
    to: message.otherAddress,
    text: message.text,
    segments,
  });
}

const unavailable = (error: unknown) => isDomainError(error) && error.code === 'unavailable';

/** The claim, or the delivery that was there. When the put's answer was lost, what landed is read back: this invocation's claim, or another's. */
async function claimOrReadBack(deps: DispatchDeps, claim: Delivery): Promise<Delivery | undefined> {
  try {
    return await deps.deliveries.claim(claim);
  } catch (error) {
    if (!unavailable(error)) throw error;
    const landed = await deps.deliveries.get(claim.messageId, true);
    // Nothing there: the record is retried (a put that lands later is found then, without a marker).
    if (!landed) throw error;
    return landed;
  }
}

/** The hand-off marker's write; when its answer was lost, read back: set by this invocation or not. */
async function startHandOff(deps: DispatchDeps, messageId: string, start: HandOffStart): Promise<boolean> {
  try {
    return await deps.deliveries.startHandOff(messageId, start);
  } catch (error) {
    if (!unavailable(error)) throw error;
    const landed = await deps.deliveries.get(messageId, true);
    if (landed?.handOffStartedAt === undefined) throw error;
    return landed.invocationId === start.to && landed.handOffStartedAt === start.at;
  }
}

async function handOff(
  deps: DispatchDeps,
  provider: MessageProvider,
  invocationId: string,
  consent: string | undefined,
  outbound: OutboundMessage,
): Promise<DispatchOutcome> {
  // The consent check's finding goes on the outcome's history entry (no write of its own).
  const checked = consent === undefined ? {} : { consent };
  for (let attempt = 1; ; attempt++) {
    const result = await provider.send(outbound);
    const last = attempt >= MAX_ATTEMPTS;
    if (result.kind === 'accepted') {
      return record(deps, outbound.messageId, {
        status: 'sent',
        providerMessageId: result.providerMessageId,
        attempts: attempt,
        ...checked,
      });
    }
    if (result.kind === 'ambiguous') {
      // Only a provider that deduplicates on the message id may be asked again.
      if (provider.idempotent && !last) {
        await deps.sleep(backoffMs(attempt));
        continue;
      }
      return record(deps, outbound.messageId, { status: 'unknown', errorMessage: result.errorMessage, attempts: attempt, ...checked });
    }
    if (result.retryable && !last) {
      await deps.sleep(backoffMs(attempt));
      continue;
    }
    if (result.retryable) {
      // Throttled, or refused for now: certainly not handed off, and no reason to fail the message.
      // It waits (queued or sending); the record is failed, so that the stream retries it later, and
      // the marker is cleared so that the retry may call a provider without a token again.
      if (!provider.idempotent) await deps.deliveries.abandonHandOff(outbound.messageId, invocationId);
      return 'deferred';
    }
    return record(deps, outbound.messageId, {
      status: 'failed',
      errorCode: result.errorCode,
      errorMessage: result.errorMessage,
      attempts: attempt,
      ...checked,
    });
  }
}

async function record(
  deps: DispatchDeps,
  messageId: string,
  change: Omit<StatusUpdate, 'reportId' | 'date' | 'source'>,
): Promise<DispatchOutcome> {
  await deps.deliveries.change(messageId, {
    ...change,
    reportId: `dispatch:${change.status}`,
    date: deps.clock.now().toISOString(),
    source: 'dispatch',
  });
  return change.status;
}
