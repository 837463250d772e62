import type { EventBridgeEvent } from 'aws-lambda';
import { runCommand } from '../lib/domain/commands.js';
import { loggedHandler } from '../lib/log.js';
import { phoneNumbers } from '../lib/domain/phone.js';
import { commandDeps, openContainer } from '../lib/runtime.js';
import { commandFromEventBridge, logRefusedEvent } from '../lib/wire/events.js';

const deps = commandDeps(openContainer(), phoneNumbers);

/** EventBridge rule target: a failure is thrown, so that Lambda retries it and then dead-letters it. */
export const handler = loggedHandler<EventBridgeEvent<string, unknown>, void>().handler(async (event) => {
  try {
    await runCommand(deps, commandFromEventBridge(event));
  } catch (error) {
    logRefusedEvent(error, { eventId: event.id });
    throw error;
  }
});
