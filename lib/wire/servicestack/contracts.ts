import type { Contract } from './respond.js';
import type { DataContractName } from './xml-read.js';

const MESSAGING = 'http://schemas.datacontract.org/2004/07/Voice.Api.Messaging';
const SESSIONS = 'http://schemas.datacontract.org/2004/07/Voice.Api.Sessions';

/** The seeds' DataContracts: SendMessage requests are read from Voice.Api.Sessions, MessageInfo written to Voice.Api.Messaging. */
export const SEND_MESSAGE: DataContractName = { root: 'SendMessage', namespace: SESSIONS };
export const MESSAGE_INFO: Contract = { root: 'MessageInfo', namespace: MESSAGING };
export const MESSAGE_LIST: Contract = { root: 'MessageList', namespace: MESSAGING, items: { Results: 'MessageInfo' } };
