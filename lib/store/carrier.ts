import { QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import type { OutboundMessage } from '../domain/delivery/provider.js';
import type { CarrierStore, Handoff, ScheduledReport } from '../providers/simulated/carrier.js';
import { fromItem } from './items.js';
import { CARRIER_HANDOFF_PREFIX, CARRIER_PARTITION, keys } from './keys.js';
import { call, entityItem, getItem, queryPrefix, type Table } from './table.js';

export const handoffItem = z.object({
  messageId: z.string(),
  sessionId: z.string(),
  accountId: z.string(),
  channel: z.string(),
  from: z.string(),
  to: z.string(),
  text: z.string(),
  segments: z.number(),
  calls: z.number(),
  firstCallAt: z.string(),
  handedOffAt: z.optional(z.string()),
  providerMessageId: z.optional(z.string()),
});

/**
 * The simulated carrier's records, in one partition (a local and test stage's volume): a hand-off
 * item per message counting every call, and the reports it will send, keyed by when they are due.
 */
export function carrierStore(table: Table): CarrierStore {
  return {
    async recordCall(message: OutboundMessage, at: string): Promise<Handoff> {
      const { messageId, sessionId, accountId, channel, from, to, text, segments } = message;
      const fields = { messageId, sessionId, accountId, channel, from, to, text, segments, firstCallAt: at, type: 'CarrierHandoff' };
      const names = Object.keys(fields);
      const { Attributes } = await call((options) =>
        table.client.send(
          new UpdateCommand({
            TableName: table.name,
            Key: keys.carrierHandoff(messageId),
            UpdateExpression: `ADD calls :one SET ${names.map((name) => `#${name} = if_not_exists(#${name}, :${name})`).join(', ')}`,
            ExpressionAttributeNames: Object.fromEntries(names.map((name) => [`#${name}`, name])),
            ExpressionAttributeValues: {
              ':one': 1,
              ...Object.fromEntries(Object.entries(fields).map(([name, value]) => [`:${name}`, value])),
            },
            ReturnValues: 'ALL_NEW',
          }),
          options,
        ),
      );
      return fromItem(handoffItem, Attributes)!;
    },

    async accept(messageId: string, providerMessageId: string, at: string, reports: ScheduledReport[]): Promise<string> {
      try {
        await call((options) =>
          table.client.send(
            new TransactWriteCommand({
              TransactItems: [
                {
                  Update: {
                    TableName: table.name,
                    Key: keys.carrierHandoff(messageId),
                    UpdateExpression: 'SET handedOffAt = :at, providerMessageId = :pmid',
                    ConditionExpression: 'attribute_not_exists(handedOffAt)',
                    ExpressionAttributeValues: { ':at': at, ':pmid': providerMessageId },
                  },
                },
                ...reports.map((report) => ({
                  Put: {
                    TableName: table.name,
                    Item: entityItem(keys.carrierReport(report.dueAt, report.body.reportId), 'CarrierReport', {
                      dueAt: report.dueAt,
                      body: report.body,
                    }),
                  },
                })),
              ],
            }),
            options,
          ),
        );
        return providerMessageId;
      } catch (error) {
        if (!(error instanceof Error) || error.name !== 'TransactionCanceledException') throw error;
        // Handed off already, by a concurrent call for the same message: that hand-off holds.
        const existing = await getItem(table, keys.carrierHandoff(messageId), handoffItem, true);
        if (!existing?.providerMessageId) throw error;
        return existing.providerMessageId;
      }
    },
  };
}

/** Every message the carrier has seen, oldest call first (the outbox of `GET /dev/carrier/outbox`). */
export async function carrierOutbox(table: Table): Promise<Handoff[]> {
  const handoffs = (await queryPrefix(table, CARRIER_PARTITION, CARRIER_HANDOFF_PREFIX)).map((item) => fromItem(handoffItem, item)!);
  return handoffs.sort((a, b) => a.firstCallAt.localeCompare(b.firstCallAt));
}
