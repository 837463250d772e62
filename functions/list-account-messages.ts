import { credentialStore, listMessagesDeps, openContainer } from '../lib/runtime/index.js';
import { listMessagesHandler } from '../lib/wire/servicestack/list-messages.js';

const container = openContainer();

/**
 * Evo Voice ListMessages: GET /messages (.json, .xml) and ServiceStack's pre-defined routes
 * /api/ListMessages, /json/reply/ListMessages, /xml/reply/ListMessages.
 */
export const handler = listMessagesHandler({ credentials: credentialStore(container), ...listMessagesDeps(container) });
