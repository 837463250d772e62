import {
  matchesDelivery,
  type ChangeOutcome,
  type Delivery,
  type DeliveryStore,
  type StatusUpdate,
} from '../../lib/domain/delivery/delivery.js';
import { trimHistory } from '../../lib/domain/delivery/history.js';
import { STATUS_RANK } from '../../lib/domain/delivery/status.js';

/**
 * An in-memory DeliveryStore with the table's rules: one claim per message, changes only forward,
 * each report id once, a report only for its delivery's provider and provider message id, the history
 * bounded (the ids of dropped entries forgotten).
 */
export function memoryDeliveries(): DeliveryStore & { all: Map<string, Delivery> } {
  const all = new Map<string, Delivery>();
  const seen = new Map<string, Set<string>>();
  /** Each history entry's change id, in the history's order. */
  const entryIds = new Map<string, string[]>();
  return {
    all,
    async claim(delivery) {
      const existing = all.get(delivery.messageId);
      if (existing) return structuredClone(existing);
      all.set(delivery.messageId, structuredClone(delivery));
      const ids = delivery.history.map((h) => `dispatch:${h.status}`);
      seen.set(delivery.messageId, new Set(ids));
      entryIds.set(delivery.messageId, ids);
      return undefined;
    },
    async startHandOff(messageId, start) {
      const delivery = all.get(messageId);
      if (!delivery || delivery.invocationId !== start.from || delivery.handOffStartedAt !== undefined) return false;
      if (start.queued && delivery.status !== 'queued') return false;
      Object.assign(delivery, { invocationId: start.to, handOffStartedAt: start.at });
      if (start.queued) {
        Object.assign(delivery, { status: 'sending', statusUpdatedAt: start.at });
        delivery.history.push({ status: 'sending', date: start.at, source: 'dispatch', applied: true });
        seen.get(messageId)!.add('dispatch:sending');
        entryIds.get(messageId)!.push('dispatch:sending');
      }
      return true;
    },
    async abandonHandOff(messageId, invocationId) {
      const delivery = all.get(messageId);
      if (delivery?.invocationId === invocationId) delete delivery.handOffStartedAt;
    },
    async change(messageId, change: StatusUpdate): Promise<ChangeOutcome> {
      const delivery = all.get(messageId);
      const ids = seen.get(messageId);
      if (!delivery || !ids) return 'missing';
      if (ids.has(change.reportId)) return 'duplicate';
      ids.add(change.reportId);
      const matches = matchesDelivery(delivery, change.match);
      const applied = matches && STATUS_RANK[change.status] > STATUS_RANK[delivery.status];
      const { providerStatus, errorCode } = change;
      delivery.history.push({
        status: change.status,
        date: change.date,
        source: change.source,
        applied,
        ...(matches ? {} : { rejected: 'provider-mismatch' as const }),
        ...(providerStatus ? { providerStatus } : {}),
        ...(errorCode ? { errorCode } : {}),
      });
      trim(delivery, change.reportId);
      if (!matches) return 'rejected';
      if (change.providerMessageId !== undefined) delivery.providerMessageId = change.providerMessageId;
      delivery.providerMessageId ??= change.match?.providerMessageId;
      if (!applied) return 'kept';
      Object.assign(delivery, {
        status: change.status,
        statusUpdatedAt: change.date,
        providerStatus,
        errorCode,
        errorMessage: change.errorMessage,
      });
      if (change.attempts !== undefined) delivery.attempts = change.attempts;
      return 'applied';
    },
    get: async (messageId) => structuredClone(all.get(messageId)),
  };

  function trim(delivery: Delivery, reportId: string): void {
    const ids = entryIds.get(delivery.messageId)!;
    ids.push(reportId);
    const { kept, dropped } = trimHistory(delivery.history.map((entry, index) => ({ ...entry, id: ids[index]! })));
    if (!dropped.length) return;
    for (const entry of dropped) seen.get(delivery.messageId)!.delete(entry.id);
    delivery.history = kept.map(({ id: _, ...entry }) => entry);
    entryIds.set(
      delivery.messageId,
      kept.map((entry) => entry.id),
    );
    delivery.historyDropped = (delivery.historyDropped ?? 0) + dropped.length;
  }
}
