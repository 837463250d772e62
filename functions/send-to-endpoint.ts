import { phoneNumbers } from '../lib/domain/phone.js';
import { credentialStore, openContainer, sendDeps } from '../lib/runtime/index.js';
import { sendMessageHandler } from '../lib/wire/servicestack/send-message.js';

const container = openContainer();

/**
 * Evo Voice SendMessage by endpointId + toAddress (or sessionId): ANY /messages (.json, .xml) and
 * ServiceStack's pre-defined routes /api/SendMessage, /json/reply/SendMessage, /xml/reply/SendMessage.
 */
export const handler = sendMessageHandler({ credentials: credentialStore(container), ...sendDeps(container, phoneNumbers) });
