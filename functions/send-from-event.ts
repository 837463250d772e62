import type { EventBridgeEvent } from 'aws-lambda';
import { runCommand } from '../lib/domain/commands.js';
import { phoneNumbers } from '../lib/domain/phone.js';
import { loggedHandler } from '../lib/log.js';
import { commandDeps, openContainer } from '../lib/runtime.js';
import { asciiJson, deadLetterQueue } from '../lib/wire/dead-letter.js';
import { commandFromEventBridge, producerOfEvent, settle } from '../lib/wire/events.js';

const deps = commandDeps(openContainer(), phoneNumbers);
const deadLetter = deadLetterQueue();

/**
 * EventBridge rule target: a permanent refusal goes to the event dead-letter queue at once; a
 * transient failure is thrown, so that Lambda retries it and then dead-letters it.
 */
export const handler = loggedHandler<EventBridgeEvent<string, unknown>, void>().handler((event) =>
  settle(() => runCommand(deps, producerOfEvent(event), commandFromEventBridge(event)), deadLetter, asciiJson(event), { eventId: event.id }),
);
