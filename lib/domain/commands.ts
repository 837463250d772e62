import * as z from 'zod/mini';
import type { Principal } from './auth.js';
import { parseOutgoingToDevice } from './edna/outgoing-to-device.js';
import { sendToDevice, type EdnaDeps } from './edna/send-to-device.js';
import { notFound } from './errors.js';
import type { AccountStore } from './ports.js';
import { sendMessage, type SendDeps } from './send.js';
import { idSchema, parseSendMessage } from './send-message.js';
import { parseOrThrow } from './validation.js';

/** The operations an event may ask for; each is the same operation as its HTTP route. */
export const COMMAND_TYPES = ['SendMessage', 'OutgoingToDevice'] as const;
export type CommandType = (typeof COMMAND_TYPES)[number];

/** An event's body, from SQS or EventBridge: `{ type, accountId, idempotencyKey?, request }`. */
export const commandSchema = z.strictObject({
  type: z.enum(COMMAND_TYPES),
  accountId: idSchema,
  idempotencyKey: z.optional(z.string().check(z.minLength(1), z.maxLength(255))),
  request: z.record(z.string(), z.unknown()),
});

export interface Command extends z.infer<typeof commandSchema> {
  /** The key that makes a redelivery a no-op: idempotencyKey, else the delivery's own id. */
  idempotencyKey: string;
}

export interface CommandDeps extends SendDeps, EdnaDeps {
  accounts: AccountStore;
}

/** Runs the command of an event. Events carry no credential: their accountId is trusted, but must exist. */
export async function runCommand(deps: CommandDeps, command: Command): Promise<void> {
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
