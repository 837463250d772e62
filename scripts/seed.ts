import { isIP } from 'node:net';
import { isPrivateAddress } from '../lib/callbacks/url-safety.js';
import type { Credential } from '../lib/domain/auth.js';
import { ProvisioningError } from '../lib/domain/provisioning.js';
import { newSession, type Endpoint } from '../lib/domain/session.js';
import type { Producer } from '../lib/domain/commands.js';
import { setLimits } from '../lib/store/account-limits.js';
import { keys } from '../lib/store/keys.js';
import { numberOwner } from '../lib/store/provisioning.js';
import { createPeerSession } from '../lib/store/sessions.js';
import { entityItem, putUnlessPresent, type Table } from '../lib/store/table.js';
import * as admin from './admin/actions.js';

/** The fixed demo data the README and the tests use. */
export const demo = {
  account: 'acct_demo',
  endpoint: { endpointId: 'ep_demo', accountId: 'acct_demo', customerId: 'cus_demo', displayName: 'Demo Line', address: '+15550001111' },
  session: { sessionId: 'ses_demo', otherAddress: '+15556667777' },
  userKey: 'demo-user-key',
  integratorToken: 'demo-integrator-token',
  operatorToken: 'demo-operator-token',
  other: {
    account: 'acct_other',
    endpoint: {
      endpointId: 'ep_other',
      accountId: 'acct_other',
      customerId: 'cus_other',
      displayName: 'Other Line',
      address: '+15550002222',
    },
    session: { sessionId: 'ses_other', otherAddress: '+15558889999' },
    userKey: 'other-user-key',
  },
} as const satisfies Record<string, unknown>;

const credentials: [string, Credential][] = [
  [demo.userKey, { accountId: demo.account, roles: ['User'] }],
  [demo.integratorToken, { accountId: demo.account, roles: ['INTEGRATOR'], agentId: 1001 }],
  [demo.operatorToken, { accountId: demo.account, roles: ['OPERATOR'], agentId: 1002 }],
  [demo.other.userKey, { accountId: demo.other.account, roles: ['User'] }],
];

/**
 * The local producers, bound to both demo accounts: the local EventBridge (its account is always
 * 000000000000) and the SQS emulator (fauxqs gives every record SenderId 000000000000). One more,
 * bound to acct_demo only, shows a narrower binding (the tests invoke the queue function as it).
 */
export const producers: [Producer, string[]][] = [
  [{ kind: 'events', account: '000000000000', source: 'messaging-api' }, [demo.account, demo.other.account]],
  [{ kind: 'sqs', senderId: '000000000000' }, [demo.account, demo.other.account]],
  [{ kind: 'sqs', senderId: 'AIDADEMOONLY' }, [demo.account]],
];

/** What already exists is left as it is: a second run neither fails nor changes an item. */
const unlessExists = (created: Promise<unknown>): Promise<unknown> =>
  created.catch((error: unknown) => {
    if (!(error instanceof ProvisioningError && error.code === 'exists')) throw error;
  });

/**
 * Whether a table's DynamoDB is on this machine or its private network: DynamoDB Local on loopback or
 * a private address, or a container named without dots. AWS's own endpoint (none configured), or any
 * other name, is not.
 */
export async function isLocalDynamoDb(table: Table): Promise<boolean> {
  const endpoint = await table.client.config.endpoint?.();
  if (!endpoint) return false;
  const host = endpoint.hostname.replace(/^\[(.*)\]$/, '$1');
  if (isIP(host)) return isPrivateAddress(host);
  return host === 'localhost' || host.endsWith('.localhost') || !host.includes('.');
}

/**
 * The demo data, written by the provisioning CLI's own operations (scripts/admin/operations.ts). Its
 * API keys are public (the README prints them): a DynamoDB not on this machine gets it only when
 * asked (`SEED_DEMO_DATA=true`), else the seed refuses before writing anything; `false` seeds nothing.
 */
export async function seed(table: Table, demoData = process.env.SEED_DEMO_DATA): Promise<void> {
  if (demoData === 'false') return;
  if (demoData !== 'true' && !(await isLocalDynamoDb(table))) {
    const { protocol, hostname } = (await table.client.config.endpoint?.()) ?? { protocol: 'https:', hostname: "AWS's endpoint" };
    throw new Error(
      `Not seeding the demo data into table ${table.name} at ${protocol}//${hostname}: its API keys are public, and this DynamoDB ` +
        'is not on this machine. SEED_DEMO_DATA=true seeds it anyway (anyone who has read the README can then use it); ' +
        'SEED_DEMO_DATA=false starts without it.',
    );
  }
  const ops = { table, now: () => new Date() };
  for (const { account, endpoint, session } of [demo, demo.other]) {
    await unlessExists(admin.createAccount(ops, { accountId: account, name: account }));
    await unlessExists(admin.createEndpoint(ops, endpoint));
    await ownNumber(table, endpoint as Endpoint);
    await createPeerSession(table, newSession(endpoint as Endpoint, session.otherAddress, session.sessionId));
  }
  // The demo's secrets are fixed, imported rather than generated, so the README's examples work.
  for (const [secret, credential] of credentials) await unlessExists(admin.createKey(ops, { ...credential }, secret));
  for (const [producer, accountIds] of producers) await admin.bindProducer(ops, producer, accountIds);
  // The demo sends to US numbers and edna devices in Russia, and the bench sends far more than the default quota.
  await setLimits(table, demo.account, { countries: ['RU', 'US'], dailyQuota: 1_000_000 });
}

/**
 * A table seeded before numbers had owners (DYNAMODB_ENDPOINT) gets its number items too; the same
 * item again changes nothing. A number another endpoint owns is never taken over: the seed stops.
 */
async function ownNumber(table: Table, endpoint: Endpoint): Promise<void> {
  const owner = numberOwner(endpoint);
  const put = await putUnlessPresent(table, entityItem(keys.number(endpoint.address), 'Number', owner), {
    expression: 'attribute_not_exists(pk) OR (endpointId = :endpointId AND accountId = :accountId)',
    values: { ':endpointId': owner.endpointId, ':accountId': owner.accountId },
  });
  if (!put.stored) {
    const other = `${String(put.old?.endpointId)} of ${String(put.old?.accountId)}`;
    throw new Error(`Not seeding: number ${endpoint.address} belongs to endpoint ${other}, not to the demo's ${endpoint.endpointId}`);
  }
}
