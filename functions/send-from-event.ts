import type { EventBridgeEvent } from 'aws-lambda';
import { runCommand } from '../lib/domain/commands.js';
import { loggedHandler } from '../lib/log.js';
import { eventDeps } from '../lib/runtime/events.js';
import { openContainer } from '../lib/runtime/index.js';
import { asciiJson } from '../lib/queues/sqs.js';
import { commandFromEventBridge, producerOfEvent, settle } from '../lib/wire/events.js';

const deps = eventDeps(openContainer());

/**
 * EventBridge rule target: a permanent refusal goes to the event dead-letter queue at once; a
 * transient failure is thrown, so that Lambda retries it and then dead-letters it.
 */
export const handler = loggedHandler<EventBridgeEvent<string, unknown>, void>().handler((event) =>
  settle(() => runCommand(deps, producerOfEvent(event), commandFromEventBridge(event)), deps.deadLetter, asciiJson(event), {
    eventId: event.id,
  }),
);
