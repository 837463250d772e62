import { sessionsOnly } from '../lib/domain/send.js';
import { credentialStore, openContainer, sendDeps } from '../lib/runtime/index.js';
import { sendMessageHandler } from '../lib/wire/servicestack/send-message.js';

const container = openContainer();

/**
 * Evo Voice SendMessage into a session: POST /sessions/{sessionId}/messages (.json, .xml). The path
 * always names the session, so this function never normalises a phone number.
 */
export const handler = sendMessageHandler({ credentials: credentialStore(container), ...sendDeps(container, sessionsOnly) });
