import { createHash } from 'node:crypto';
import type { Contract } from './respond.js';
import type { DataContractName } from './xml-read.js';

const MESSAGING = 'http://schemas.datacontract.org/2004/07/Voice.Api.Messaging';
const SESSIONS = 'http://schemas.datacontract.org/2004/07/Voice.Api.Sessions';

/** The seeds' DataContracts: SendMessage requests are read from Voice.Api.Sessions, MessageInfo written to Voice.Api.Messaging. */
export const SEND_MESSAGE: DataContractName = { root: 'SendMessage', namespace: SESSIONS };
export const MESSAGE_INFO: Contract = { root: 'MessageInfo', namespace: MESSAGING };
export const MESSAGE_LIST: Contract = { root: 'MessageList', namespace: MESSAGING, items: { Results: 'MessageInfo' } };

/**
 * The name DataContractSerializer gives a closed generic type such as ListResponse<MessageInfo>:
 * `ListResponseOfMessageInfo` and a digest of the arguments' namespaces (the MD5 of
 * " <argument count> <namespace>...", its first six bytes in base64, `/` and `+` spelt `_S`, `_P`).
 */
export function genericContractName(type: string, args: { name: string; namespace: string }[]): string {
  const namespaces = ` ${args.length}${args.map((a) => ` ${a.namespace}`).join('')}`;
  const digest = createHash('md5').update(namespaces, 'utf8').digest().subarray(0, 6).toString('base64');
  return `${type}Of${args.map((a) => a.name).join('')}${digest.replace(/=/g, '').replace(/\//g, '_S').replace(/\+/g, '_P')}`;
}

const API = 'http://schemas.datacontract.org/2004/07/Voice.Api';

/** ListMessages and its ListResponse<MessageInfo> live in Voice.Api (the service's F# metadata page). */
export const LIST_MESSAGES: DataContractName = { root: 'ListMessages', namespace: API };
export const LIST_RESPONSE: Contract = {
  root: genericContractName('ListResponse', [{ name: 'MessageInfo', namespace: MESSAGING }]),
  namespace: API,
  items: { Items: { element: 'MessageInfo', namespace: MESSAGING } },
};

/** This service's own delivery status of a message (GET /sessions/{sessionId}/messages/{messageId}/status). */
export const MESSAGE_STATUS: Contract = { root: 'MessageStatus', namespace: MESSAGING, items: { History: 'StatusChange' } };

/** The opt-out list (functions/optouts.ts, docs/consent.md): this service's extension, in Voice.Api.Messaging like its others. */
export const CHANGE_OPT_OUT: DataContractName = { root: 'ChangeOptOut', namespace: MESSAGING };
export const OPT_OUT: Contract = { root: 'OptOut', namespace: MESSAGING, items: { History: 'ConsentChange' } };
export const OPT_OUT_LIST: Contract = { root: 'OptOutList', namespace: MESSAGING, items: { Results: 'OptOut' } };
