import * as z from 'zod/mini';
import type { Principal } from './auth.js';
import { parseOutgoingToDevice } from './edna/outgoing-to-device.js';
import { sendToDevice, type EdnaDeps } from './edna/send-to-device.js';
import { DomainError, notFound } from './errors.js';
import type { AccountStore } from './ports.js';
import { sendMessage, type SendDeps } from './send.js';
import { idSchema, parseSendMessage } from './send-message.js';
import { parseOrThrow, wellFormed } from './validation.js';

/** The operations an event may ask for; each is the same operation as its HTTP route. */
export const COMMAND_TYPES = ['SendMessage', 'OutgoingToDevice'] as const;
export type CommandType = (typeof COMMAND_TYPES)[number];

/** An event's body, from SQS or EventBridge: `{ type, accountId, idempotencyKey?, request }`. */
export const commandSchema = z.strictObject({
  type: z.enum(COMMAND_TYPES),
  accountId: idSchema,
  // Hashed into a key: an unpaired surrogate would hash like U+FFFD, so two keys could collide.
  idempotencyKey: z.optional(z.string().check(z.minLength(1), z.maxLength(255), wellFormed())),
  request: z.record(z.string(), z.unknown()),
});

export interface Command extends z.infer<typeof commandSchema> {
  /** The key that makes a redelivery a no-op: idempotencyKey, else the delivery's own id. */
  idempotencyKey: string;
}

export interface CommandDeps extends SendDeps, EdnaDeps {
  accounts: AccountStore;
  producers: ProducerStore;
}

/**
 * Who put an event, as AWS vouches for it (never as the event says): the SQS sender's IAM unique id,
 * or the EventBridge event's account and source.
 */
export type Producer = { kind: 'sqs'; senderId: string } | { kind: 'events'; account: string; source: string };

/** The tenants each event producer is bound to (lib/store/producers.ts); a deployer writes the bindings. */
export interface ProducerStore {
  /** The accountIds the producer may act for; empty when it is bound to none. */
  tenantsOf(producer: Producer): Promise<readonly string[]>;
}

/** Refused for good: the producer may not act for this tenant (or is bound to none). */
export function unboundProducer(): DomainError {
  const message = 'The producer of this event is not bound to its account';
  return new DomainError('forbidden', message, [{ field: 'accountId', code: 'UnboundProducer', message }], { reason: 'UnboundProducer' });
}

/**
 * Runs the command of an event. Events carry no credential: the producer AWS names must be bound
 * to the command's account (checked first, so an unbound producer learns nothing), which must exist.
 */
export async function runCommand(deps: CommandDeps, producer: Producer, command: Command): Promise<void> {
  if (!(await deps.producers.tenantsOf(producer)).includes(command.accountId)) throw unboundProducer();
  if (!(await deps.accounts.accountExists(command.accountId))) throw notFound('Account', 'accountId');
  const principal: Principal = { accountId: command.accountId, roles: [] };
  switch (command.type) {
    case 'SendMessage': {
      const { target, text } = parseSendMessage(command.request);
      await sendMessage(deps, principal, target, text, command.idempotencyKey);
      return;
    }
    case 'OutgoingToDevice':
      await sendToDevice(deps, principal, parseOutgoingToDevice(command.request), command.idempotencyKey);
  }
}

/** Validates an event body; `deliveryId` (the SQS message id or EventBridge event id) is the default key. */
export function parseCommand(body: unknown, deliveryId: string): Command {
  const command = parseOrThrow(commandSchema, body);
  return { ...command, idempotencyKey: command.idempotencyKey ?? deliveryId };
}
