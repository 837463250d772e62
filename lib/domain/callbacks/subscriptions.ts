import { randomBytes } from 'node:crypto';
import * as z from 'zod/mini';
import { parseOrThrow } from '../validation.js';
import { CALLBACK_EVENTS, type CallbackEventType } from './events.js';

/**
 * An account's callback subscriptions and their signing secrets. Secrets are Standard Webhooks'
 * `whsec_` + base64 of 24 random bytes (192 bits); a rotation adds a new secret that signs at once
 * and lets the old ones sign beside it until the overlap ends (receivers verify either signature).
 */
export interface CallbackSecret {
  secret: string;
  createdAt: string;
  /** Epoch seconds: a rotated secret still signs until then (the overlap), then not. */
  expiresAt?: number;
}

export interface Subscription {
  subscriptionId: string;
  accountId: string;
  url: string;
  events: CallbackEventType[];
  secrets: CallbackSecret[];
  createdAt: string;
}

/** What the fan-out reads of a subscription: whom an event goes to, never its URL or secrets. */
export type SubscriptionTarget = Pick<Subscription, 'subscriptionId' | 'accountId' | 'events'>;

/** What the callback pipeline reads of subscriptions; lib/store/callbacks.ts implements it on DynamoDB. */
export interface SubscriptionStore {
  /** An account's subscriptions, read on every event: a new or deleted one takes effect at once. */
  listSubscriptions(accountId: string): Promise<SubscriptionTarget[]>;
  getSubscription(accountId: string, subscriptionId: string): Promise<Subscription | undefined>;
}

const newSecret = (): string => `whsec_${randomBytes(24).toString('base64')}`;

const isLive = (secret: CallbackSecret, now: Date): boolean => secret.expiresAt === undefined || secret.expiresAt * 1000 > now.getTime();

/** The secrets that sign now: every one not past its overlap. */
export const signingSecrets = (subscription: Subscription, now: Date): string[] =>
  subscription.secrets.filter((s) => isLive(s, now)).map((s) => s.secret);

const eventsInput = z.object({ events: z.array(z.enum(CALLBACK_EVENTS)).check(z.minLength(1)) });

/** The event types a subscription asks for: at least one, each known, each once (an invalid `events` field otherwise). */
export const parseEvents = (events: string[]): CallbackEventType[] => parseOrThrow(eventsInput, { events: [...new Set(events)] }).events;

/** A new subscription (its URL checked by the caller) and its first secret, to be shown once. */
export function newSubscription(fields: Pick<Subscription, 'subscriptionId' | 'accountId' | 'url' | 'events'>, now: Date) {
  const createdAt = now.toISOString();
  const secret = newSecret();
  return { secret, subscription: { ...fields, secrets: [{ secret, createdAt }], createdAt } satisfies Subscription };
}

/**
 * A rotation: a new secret first, signing at once; the live old ones keep signing until `overlapSeconds`
 * from now (never later than they would have), the expired ones are dropped.
 */
export function rotateSecret(subscription: Subscription, now: Date, overlapSeconds: number) {
  const until = Math.floor(now.getTime() / 1000) + overlapSeconds;
  const secret = newSecret();
  const kept = subscription.secrets.filter((s) => isLive(s, now)).map((s) => ({ ...s, expiresAt: Math.min(s.expiresAt ?? until, until) }));
  return { secret, subscription: { ...subscription, secrets: [{ secret, createdAt: now.toISOString() }, ...kept] } };
}

/** What may be shown of a subscription after its secrets were issued: a hint of each (24 of 192 bits), never the secret. */
export const subscriptionView = ({ secrets, ...subscription }: Subscription) => ({
  ...subscription,
  secrets: secrets.map((s) => ({
    hint: `${s.secret.slice(0, 10)}…`,
    createdAt: s.createdAt,
    ...(s.expiresAt ? { expiresAt: new Date(s.expiresAt * 1000).toISOString() } : {}),
  })),
});
