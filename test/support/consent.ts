import { ulid } from 'ulid';
import * as admin from '../../scripts/admin/actions.js';
import { api, randomPhone, table } from './stack.js';

/** The tests of consent (test/e2e/consent*.test.ts): fresh tenants, so that lists and counts are their own. */
export const ops = { table, now: () => new Date() };

/** A number the simulated carrier delivers to (its scenario is chosen by the last two digits). */
export const deliverable = (): string => `${randomPhone().slice(0, -2)}00`;

export async function consentTenant(name = 'Acme Dental') {
  const accountId = `acct_consent_${ulid()}`;
  const number = randomPhone('+1557');
  const endpointId = `ep_${ulid()}`;
  await admin.createAccount(ops, { accountId, name });
  await admin.createEndpoint(ops, { endpointId, accountId, customerId: 'cus_consent', address: number, displayName: 'Front desk' });
  const { secret: key } = await admin.createKey(ops, { accountId, roles: ['User'] });
  /** The recipient `from` texts the tenant's number, through the simulated carrier (a redelivery: the same `id` and `receivedAt`). */
  const texts = (from: string, text: string, id = `IN-${ulid()}`, receivedAt = new Date().toISOString()) =>
    api('/dev/carrier/inbound', { key, body: { from, to: number, text, id, receivedAt } });
  return { accountId, number, endpointId, key, texts };
}
