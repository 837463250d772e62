import type { Contract } from './respond.js';

const MESSAGING = 'http://schemas.datacontract.org/2004/07/Voice.Api.Messaging';

/** The seeds' DataContracts: SendMessage requests are read from Voice.Api.Sessions, MessageInfo written to Voice.Api.Messaging. */
export const SEND_MESSAGE_ROOT = 'SendMessage';
export const MESSAGE_INFO: Contract = { root: 'MessageInfo', namespace: MESSAGING };
export const MESSAGE_LIST: Contract = { root: 'MessageList', namespace: MESSAGING, items: { Results: 'MessageInfo' } };

/**
 * ListMessages' ListResponse<MessageInfo> as DataContractSerializer names a closed generic: "Of",
 * the argument's name, and a digest of the argument's namespace (MD5 of " 1 <namespace>", first six
 * bytes in base64, as .NET computes it). ListResponse lives with ListMessages in Voice.Api.
 */
export const LIST_MESSAGES_ROOT = 'ListMessages';
export const LIST_RESPONSE: Contract = {
  root: 'ListResponseOfMessageInfoCeNIv4MU',
  namespace: 'http://schemas.datacontract.org/2004/07/Voice.Api',
  items: { Items: { element: 'MessageInfo', namespace: MESSAGING } },
};
