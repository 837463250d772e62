import type { StoredMessage } from '../message-info.js';
import type { Clock, IdGenerator } from '../ports.js';
import { channelOf, type Delivery, type DeliveryStore, type SegmentCounter, type StatusUpdate } from './delivery.js';
import type { Channel, MessageProvider, OutboundMessage } from './provider.js';

export interface DispatchDeps {
  deliveries: DeliveryStore;
  providerFor(channel: Channel): MessageProvider;
  countSegments: SegmentCounter;
  clock: Clock;
  ids: IdGenerator;
  sleep(ms: number): Promise<void>;
}

/** Attempts per message for retryable rejections (throttling, a carrier's temporary error), with backoff between them. */
export const MAX_ATTEMPTS = 3;
export const backoffMs = (attempt: number): number => 200 * 4 ** (attempt - 1);

/**
 * Hands an accepted message to its provider, exactly once:
 * 1. The message is claimed (a conditional put of its delivery, `sending`). Another record, a
 *    settled delivery or another dispatcher's live claim means there is nothing to do.
 * 2. A claim of this very record whose outcome was never recorded (the invocation failed after
 *    claiming) is resent only to a provider that takes the message id as an idempotency token; with
 *    any other provider the hand-off is in doubt, so it is recorded `unknown`, never resent blindly.
 * 3. The provider is called; its answer is recorded with a conditional write on the status rank.
 */
/** What a dispatch did: the status it recorded, or `duplicate` when another claim had the message. */
export type DispatchOutcome = StatusUpdate['status'] | 'duplicate';

export async function dispatch(deps: DispatchDeps, message: StoredMessage, attemptId: string): Promise<DispatchOutcome> {
  const channel = channelOf(message);
  const provider = deps.providerFor(channel);
  const now = deps.clock.now().toISOString();
  const invocationId = deps.ids.next();
  const { segments, encoding } = deps.countSegments(message.text);
  const claim: Delivery = {
    messageId: message.id,
    sessionId: message.sessionId,
    accountId: message.accountId,
    channel,
    provider: provider.name,
    attemptId,
    invocationId,
    claimedAt: now,
    attempts: 0,
    segments,
    encoding,
    status: 'sending',
    statusUpdatedAt: now,
    history: [
      { status: 'accepted', date: message.date, source: 'dispatch', applied: true },
      { status: 'sending', date: now, source: 'dispatch', applied: true },
    ],
  };
  const existing = await deps.deliveries.claim(claim);
  if (existing && existing.invocationId !== invocationId) {
    if (existing.attemptId !== attemptId || existing.status !== 'sending') return 'duplicate';
    if (!provider.idempotent) {
      return record(deps, message.id, {
        status: 'unknown',
        errorMessage: 'An earlier hand-off of this message may have reached the provider',
      });
    }
  }
  return handOff(deps, provider, {
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

async function handOff(deps: DispatchDeps, provider: MessageProvider, outbound: OutboundMessage): Promise<DispatchOutcome> {
  for (let attempt = 1; ; attempt++) {
    const result = await provider.send(outbound);
    const last = attempt >= MAX_ATTEMPTS;
    if (result.kind === 'accepted') {
      return record(deps, outbound.messageId, { status: 'sent', providerMessageId: result.providerMessageId, attempts: attempt });
    }
    if (result.kind === 'ambiguous') {
      // Only a provider that deduplicates on the message id may be asked again.
      if (provider.idempotent && !last) {
        await deps.sleep(backoffMs(attempt));
        continue;
      }
      return record(deps, outbound.messageId, { status: 'unknown', errorMessage: result.errorMessage, attempts: attempt });
    }
    if (result.retryable && !last) {
      await deps.sleep(backoffMs(attempt));
      continue;
    }
    return record(deps, outbound.messageId, {
      status: 'failed',
      errorCode: result.errorCode,
      errorMessage: result.errorMessage,
      attempts: attempt,
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
