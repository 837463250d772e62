import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { randomUUID } from 'node:crypto';
import { monotonicFactory } from 'ulid';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import type { MessageProvider, OutboundMessage } from '../../lib/domain/delivery/provider.js';
import { sweep, type SweepDeps } from '../../lib/domain/delivery/sweep.js';
import { outgoingMessage, type StoredMessage } from '../../lib/domain/message-info.js';
import { newSession } from '../../lib/domain/session.js';
import { createDocumentClient } from '../../lib/store/client.js';
import { claimDelivery, deliveryStore, getDelivery } from '../../lib/store/deliveries.js';
import { keys } from '../../lib/store/keys.js';
import { messageRecord } from '../../lib/store/messages.js';
import { createAccount } from '../../lib/store/provisioning.js';
import { rewindSweep, sweepStore } from '../../lib/store/sweep.js';
import type { Table } from '../../lib/store/table.js';
import { createTable } from '../../scripts/table.js';
import '../support/stack.js';

/**
 * The sweeper's store against DynamoDB Local, on a table of its own: no stream poller reads it, so a
 * message written here is exactly a message whose stream record was lost.
 */
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const ulid = monotonicFactory();
const { dynamodbEndpoint } = inject('stack');
const table: Table = {
  name: `sweep-${randomUUID().slice(0, 8)}`,
  client: createDocumentClient({ tableName: '', endpoint: dynamodbEndpoint }),
};

beforeAll(() => createTable(new DynamoDBClient({ endpoint: dynamodbEndpoint }), table.name));

function carrier(): MessageProvider & { calls: OutboundMessage[] } {
  const calls: OutboundMessage[] = [];
  return {
    name: 'simulated',
    idempotent: true,
    calls,
    send: async (outbound) => {
      calls.push(outbound);
      return { kind: 'accepted', providerMessageId: `pm-${outbound.messageId}` };
    },
  };
}

function sweeper(now: () => number, provider: MessageProvider, maxMessages = 100): SweepDeps {
  let id = 0;
  return {
    deliveries: deliveryStore(table),
    providerFor: () => provider,
    countSegments: () => ({ segments: 1, encoding: 'GSM-7' }),
    clock: { now: () => new Date(now()) },
    ids: { next: () => `run-${++id}` },
    sleep: async () => undefined,
    sweeps: sweepStore(table, 'store-test'),
    rules: {
      undispatchedAfterMs: 15 * MINUTE,
      staleClaimAfterMs: 10 * MINUTE,
      unknownAfterMs: 72 * HOUR,
      maxMessages,
      firstLookbackMs: 24 * HOUR,
    },
    timeLeft: () => 60_000,
  };
}

async function store(accountId: string, at: number, n: number): Promise<StoredMessage> {
  const endpoint = { endpointId: `ep_${accountId}`, accountId, customerId: 'cus_1', displayName: 'Line', address: '+15550000001' };
  const session = newSession(endpoint, `+155577700${String(n).padStart(2, '0')}`, `ses_${accountId}_${n}`);
  const message = outgoingMessage(session, `stuck ${n}`, ulid(at), new Date(at));
  await table.client.send(new PutCommand({ TableName: table.name, Item: messageRecord(message) }));
  return message;
}

describe('the sweeper against DynamoDB Local', () => {
  it('finds lost and stale messages of every account through the byAccount index, dispatches each once, then marks silence unknown', async () => {
    const start = Date.now() - 2 * HOUR;
    const accounts = [`acct_${randomUUID().slice(0, 8)}`, `acct_${randomUUID().slice(0, 8)}`];
    for (const accountId of accounts) await createAccount(table, { accountId, name: accountId });
    const lost = await Promise.all([...Array(6).keys()].map((n) => store(accounts[n % 2]!, start + n * 1000, n)));
    const stale = lost[0]!;
    await claimDelivery(table, {
      messageId: stale.id,
      sessionId: stale.sessionId,
      accountId: stale.accountId,
      channel: 'SMS',
      provider: 'simulated',
      attemptId: 'stream-record',
      invocationId: 'gone',
      claimedAt: new Date(start).toISOString(),
      attempts: 0,
      segments: 1,
      encoding: 'GSM-7',
      status: 'sending',
      statusUpdatedAt: new Date(start).toISOString(),
      history: [{ status: 'sending', date: new Date(start).toISOString(), source: 'dispatch', applied: true }],
    });
    let now = Date.now();
    const provider = carrier();
    // Bounded: four per run, the rest next run from the checkpoint.
    const first = await sweep(
      sweeper(() => now, provider, 4),
      'dispatch',
    );
    expect(first).toMatchObject({ examined: 4, actions: { redispatched: 1, dispatched: 3 }, checkpoint: lost[3]!.id });
    const second = await sweep(
      sweeper(() => now, provider, 4),
      'dispatch',
    );
    expect(second).toMatchObject({ examined: 2, actions: { dispatched: 2 }, checkpoint: lost[5]!.id });
    expect(
      (
        await sweep(
          sweeper(() => now, provider),
          'dispatch',
        )
      ).examined,
    ).toBe(0);
    expect(provider.calls.map((c) => c.messageId).sort()).toEqual(lost.map((m) => m.id).sort());
    for (const m of lost) expect((await getDelivery(table, m.id, true))!.status).toBe('sent');
    expect((await getDelivery(table, stale.id, true))!.attemptId).toBe('stream-record');

    now += 73 * HOUR;
    const unknown = await sweep(
      sweeper(() => now, provider),
      'unknown',
    );
    expect(unknown.actions).toEqual({ unknown: 6 });
    const settled = (await getDelivery(table, lost[1]!.id, true))!;
    expect(settled).toMatchObject({ status: 'unknown', errorMessage: 'No final report within 72 h of acceptance' });
    expect(settled.history.at(-1)).toMatchObject({ status: 'unknown', source: 'sweeper', applied: true });
    expect(
      (
        await sweep(
          sweeper(() => now, provider),
          'unknown',
        )
      ).examined,
    ).toBe(0);
    expect(provider.calls).toHaveLength(6);
  });

  it('saves a checkpoint only from the one a run started at; a rewind only moves it back', async () => {
    const name = `back-${randomUUID()}`;
    const sweeps = sweepStore(table, name);
    await sweeps.saveCheckpoint('dispatch', '01KW0000000000000000000002', undefined);
    // A run that started before that save (it saw no checkpoint) loses: the other run's progress stands.
    await sweeps.saveCheckpoint('dispatch', '01KW0000000000000000000001', undefined);
    expect(await sweeps.checkpoint('dispatch')).toBe('01KW0000000000000000000002');
    const rewound = await rewindSweep(table, 'dispatch', new Date('2026-01-01T00:00:00Z'), name);
    expect(await sweeps.checkpoint('dispatch')).toBe(rewound);
    // A run in flight across the rewind can not undo it.
    await sweeps.saveCheckpoint('dispatch', '01KW0000000000000000000003', '01KW0000000000000000000002');
    expect(await sweeps.checkpoint('dispatch')).toBe(rewound);
    await rewindSweep(table, 'dispatch', new Date('2026-06-01T00:00:00Z'), name);
    expect(await sweeps.checkpoint('dispatch')).toBe(rewound);
    expect(keys.sweepCheckpoint('x', 'dispatch').pk).toMatch(/^DELIVERY#/);
  });
});
