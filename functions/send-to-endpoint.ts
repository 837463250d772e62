/**
 * ANY /messages: the same Evo Voice SendMessage operation as send-to-session, addressed by
 * endpointId + toAddress (or sessionId) in the body or query. A function of its own so that the
 * route has its own role, logs and metrics; the code is one.
 */
export { handler } from './send-to-session.js';
