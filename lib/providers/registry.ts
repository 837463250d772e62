import type { MessageProvider, StatusReport } from '../domain/delivery/provider.js';
import type { InboundMessage } from '../domain/inbound.js';
import type { Clock, IdGenerator } from '../domain/ports.js';
import type { Config } from '../runtime/config.js';
import type { Table } from '../store/table.js';

/** A notification from one of the stage's SNS topics: its id and time (the same on redelivery) and its parsed JSON body. */
export interface Notification {
  id: string;
  timestamp: string;
  body: unknown;
}

/** What a provider is built from, once per container. */
export interface ProviderContext {
  config: Config;
  table: Table;
  clock: Clock;
  ids: IdGenerator;
}

/**
 * What one provider offers (lib/providers/index.ts lists them all): `create` its sender; where it
 * has them, `statusReport` reads its status events from the stage's status topic and `inbound` its
 * incoming messages from the inbound topic, each undefined for a notification that is not its own.
 * `requires`: the variables it can not run without, checked when a stage names it.
 */
export interface ProviderModule {
  create(context: ProviderContext): MessageProvider;
  statusReport?(notification: Notification): StatusReport | undefined;
  inbound?(notification: Notification): InboundMessage | undefined;
  requires?: readonly (keyof Config)[];
}
