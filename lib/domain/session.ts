/** An account's endpoint: a phone number (or other address) messages are sent from. */
export interface Endpoint {
  endpointId: string;
  accountId: string;
  customerId: string;
  displayName: string;
  /** The endpoint's own address, the `sender` of its outgoing messages. */
  address: string;
}

/**
 * A conversation between one endpoint and one peer. It carries every fact a MessageInfo needs,
 * so a send reads one item. None of these facts ever change, which makes sessions safe to cache.
 */
export interface Session {
  sessionId: string;
  accountId: string;
  endpointId: string;
  customerId: string;
  endpointDisplayName: string;
  sender: string;
  otherAddress: string;
}

export function newSession(endpoint: Endpoint, otherAddress: string, sessionId: string): Session {
  return {
    sessionId,
    accountId: endpoint.accountId,
    endpointId: endpoint.endpointId,
    customerId: endpoint.customerId,
    endpointDisplayName: endpoint.displayName,
    sender: endpoint.address,
    otherAddress,
  };
}
