import { ulid } from 'ulid';
import { checkCallbackUrl, UnsafeUrlError } from '../../lib/callbacks/url-safety.js';
import {
  newSubscription,
  parseEvents,
  rotateSecret,
  subscriptionView,
  type Subscription,
} from '../../lib/domain/callbacks/subscriptions.js';
import { invalidField } from '../../lib/domain/errors.js';
import { ProvisioningError } from '../../lib/domain/provisioning.js';
import * as store from '../../lib/store/callbacks.js';
import { getAccount } from '../../lib/store/provisioning.js';
import type { AdminContext as Operations } from './actions.js';

/**
 * Callback subscriptions (README, "Replies and callbacks"): `callback subscribe | list | rotate | delete`.
 * A secret is shown once, when issued; listings show a hint only (lib/domain/callbacks/subscriptions.ts).
 */

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
  const parsed = parseEvents(events);
  const checked = await checkedUrl(url, deployed ?? false);
  const account = await getAccount(table, accountId);
  if (!account || account.status === 'disabled')
    throw new ProvisioningError('not-found', `Account ${accountId} does not exist or is disabled`);
  const { secret, subscription } = newSubscription({ subscriptionId: `cb_${ulid()}`, accountId, url: checked, events: parsed }, now());
  await store.putSubscription(table, subscription, true);
  return { secret, subscription: subscriptionView(subscription) };
}

async function existing(table: Operations['table'], accountId: string, subscriptionId: string): Promise<Subscription> {
  const subscription = await store.getSubscription(table, accountId, subscriptionId, true);
  if (!subscription) throw new ProvisioningError('not-found', `Subscription ${subscriptionId} of account ${accountId} does not exist`);
  return subscription;
}

export const list = async ({ table }: Operations, accountId: string) =>
  (await store.listSubscriptions(table, accountId)).map(subscriptionView);

/** A new secret signs at once; the old ones keep signing too (both signatures sent) until the overlap ends, then are dropped. */
export async function rotate({ table, now }: Operations, accountId: string, subscriptionId: string, overlapSeconds: number) {
  const { secret, subscription } = rotateSecret(await existing(table, accountId, subscriptionId), now(), overlapSeconds);
  await store.putSubscription(table, subscription, false);
  return { secret, subscription: subscriptionView(subscription) };
}

export async function remove({ table }: Operations, accountId: string, subscriptionId: string) {
  if (!(await store.deleteSubscription(table, accountId, subscriptionId)))
    throw new ProvisioningError('not-found', `Subscription ${subscriptionId} of account ${accountId} does not exist`);
  return { subscriptionId, deleted: true };
}
