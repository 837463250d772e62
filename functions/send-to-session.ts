import { createRuntime } from '../lib/runtime.js';
import { sendMessageHandler } from '../lib/wire/servicestack/send-message.js';

/**
 * Evo Voice SendMessage into a session: POST /sessions/{sessionId}/messages (.json, .xml). The path
 * always names the session, so this function never normalises a phone number.
 */
export const handler = sendMessageHandler(createRuntime());
