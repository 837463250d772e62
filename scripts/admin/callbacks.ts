import { randomBytes } from 'node:crypto';
import { ulid } from 'ulid';
import * as z from 'zod/mini';
import { checkCallbackUrl, UnsafeUrlError } from '../../lib/callbacks/url-safety.js';
import { CALLBACK_EVENTS, type Subscription } from '../../lib/domain/callbacks.js';
import { invalidField } from '../../lib/domain/errors.js';
import { ProvisioningError } from '../../lib/domain/provisioning.js';
import { parseOrThrow } from '../../lib/domain/validation.js';
import * as store from '../../lib/store/callbacks.js';
import { getAccount } from '../../lib/store/provisioning.js';
import type { AdminContext as Operations } from './actions.js';

/**
 * Callback subscriptions (README, "Replies and callbacks"): `callback subscribe | list | rotate | delete`.
 * A secret is shown once, when issued; listings show a hint only.
 */
const newSecret = (): string => `whsec_${randomBytes(24).toString('base64')}`;

const view = ({ secrets, ...subscription }: Subscription) => ({
  ...subscription,
  secrets: secrets.map((s) => ({ hint: `${s.secret.slice(0, 10)}…`, createdAt: s.createdAt, ...(s.expiresAt ? { expiresAt: new Date(s.expiresAt * 1000).toISOString() } : {}) })),
});

const input = z.object({ events: z.array(z.enum(CALLBACK_EVENTS)).check(z.minLength(1)) });

/** In a deployed stage (--stage) the URL must be https and resolve to public addresses only; locally loopback is allowed. */
async function checkedUrl(url: string, deployed: boolean): Promise<string> {
  try {
    return (await checkCallbackUrl(url, !deployed)).url.toString();
  } catch (error) {
    if (error instanceof UnsafeUrlError) throw invalidField('url', 'UnsafeUrl', `'url': ${error.message}.`);
    throw error;
  }
}

export async function subscribe({ table, now, deployed }: Operations, accountId: string, url: string, events: string[]) {
  const parsed = parseOrThrow(input, { events: [...new Set(events)] });
  const checked = await checkedUrl(url, deployed ?? false);
  const account = await getAccount(table, accountId);
  if (!account || account.status === 'disabled') throw new ProvisioningError('not-found', `Account ${accountId} does not exist or is disabled`);
  const createdAt = now().toISOString();
  const secret = newSecret();
  const subscription: Subscription = { subscriptionId: `cb_${ulid()}`, accountId, url: checked, events: parsed.events, secrets: [{ secret, createdAt }], createdAt };
  await store.putSubscription(table, subscription, true);
  return { secret, subscription: view(subscription) };
}

async function existing(table: Operations['table'], accountId: string, subscriptionId: string): Promise<Subscription> {
  const subscription = await store.getSubscription(table, accountId, subscriptionId, true);
  if (!subscription) throw new ProvisioningError('not-found', `Subscription ${subscriptionId} of account ${accountId} does not exist`);
  return subscription;
}

export const list = async ({ table }: Operations, accountId: string) => (await store.listSubscriptions(table, accountId)).map(view);

/** A new secret signs at once; the old ones keep signing too (both signatures sent) until the overlap ends, then are dropped. */
export async function rotate({ table, now }: Operations, accountId: string, subscriptionId: string, overlapSeconds: number) {
  const subscription = await existing(table, accountId, subscriptionId);
  const at = now();
  const until = Math.floor(at.getTime() / 1000) + overlapSeconds;
  const secret = newSecret();
  const kept = subscription.secrets
    .filter((s) => s.expiresAt === undefined || s.expiresAt * 1000 > at.getTime())
    .map((s) => ({ ...s, expiresAt: Math.min(s.expiresAt ?? until, until) }));
  const rotated = { ...subscription, secrets: [{ secret, createdAt: at.toISOString() }, ...kept] };
  await store.putSubscription(table, rotated, false);
  return { secret, subscription: view(rotated) };
}

export async function remove({ table }: Operations, accountId: string, subscriptionId: string) {
  if (!(await store.deleteSubscription(table, accountId, subscriptionId))) throw new ProvisioningError('not-found', `Subscription ${subscriptionId} of account ${accountId} does not exist`);
  return { subscriptionId, deleted: true };
}
