import { isDomainError } from '../../domain/errors.js';
import type { MessageProvider, OutboundMessage, SendResult } from '../../domain/delivery/provider.js';
import type { Clock, IdGenerator } from '../../domain/ports.js';
import type { SimulatedReport } from './reports.js';
import { scenarioFor } from './scenarios.js';

/** What the carrier keeps of one message: every call made for it, and its hand-off once accepted. */
export interface Handoff {
  messageId: string;
  sessionId: string;
  accountId: string;
  channel: string;
  from: string;
  to: string;
  text: string;
  segments: number;
  /** Every call the dispatcher made for this message, accepted or not. */
  calls: number;
  firstCallAt: string;
  handedOffAt?: string;
  providerMessageId?: string;
}

/** A report the carrier will send back, due at `dueAt` on its clock. */
export interface ScheduledReport {
  dueAt: string;
  body: SimulatedReport;
}

/** The carrier's own storage: the provider's side of the hand-off, which tests and people read. */
export interface CarrierStore {
  /** Counts a call for the message; returns its record after the call. */
  recordCall(message: OutboundMessage, at: string): Promise<Handoff>;
  /** Records the hand-off, once: returns the provider message id of the hand-off that holds (an earlier one, if any). */
  accept(messageId: string, providerMessageId: string, at: string, reports: ScheduledReport[]): Promise<string>;
}

/**
 * The simulated carrier as a provider: deterministic outcomes by destination, a record of every call
 * and hand-off, and status reports scheduled on its clock. The message id is its idempotency token:
 * a repeated call for a message already handed off answers that hand-off again and hands off nothing.
 * Its storage failing is the provider failing: a transient failure is an ambiguous hand-off.
 */
export function simulatedProvider(store: CarrierStore, clock: Clock, ids: IdGenerator): MessageProvider {
  return {
    name: 'simulated',
    idempotent: true,
    async send(message) {
      try {
        return await handOff(store, clock, ids, message);
      } catch (error) {
        if (isDomainError(error) && error.code === 'unavailable')
          return { kind: 'ambiguous', errorMessage: 'The simulated carrier did not answer' };
        throw error;
      }
    },
  };
}

async function handOff(store: CarrierStore, clock: Clock, ids: IdGenerator, message: OutboundMessage): Promise<SendResult> {
  const now = clock.now();
  const record = await store.recordCall(message, now.toISOString());
  if (record.providerMessageId) return { kind: 'accepted', providerMessageId: record.providerMessageId };
  const scenario = scenarioFor(message.to);
  const refusal = scenario.refuse?.(record.calls);
  if (refusal) return { kind: 'rejected', ...refusal };
  const providerMessageId = `SM${ids.next()}`;
  const reports = scenario.reports.map((report, index): ScheduledReport => {
    const occurredAt = new Date(now.getTime() + report.afterMs).toISOString();
    return {
      dueAt: occurredAt,
      body: {
        provider: 'simulated',
        reportId: `${providerMessageId}-${report.copyOf ?? index}`,
        messageId: message.messageId,
        providerMessageId,
        status: report.status,
        ...(report.errorCode ? { errorCode: report.errorCode } : {}),
        occurredAt,
      },
    };
  });
  return { kind: 'accepted', providerMessageId: await store.accept(message.messageId, providerMessageId, now.toISOString(), reports) };
}
