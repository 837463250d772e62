import type { Session } from './session.js';

export type MessageDirection = 'Incoming' | 'Outgoing';

/** The record every send stores and the Evo Voice API returns; field names exactly as the seed's DTO. */
export interface MessageInfo {
  id: string;
  accountId: string;
  customerId: string;
  endpointId: string;
  endpointDisplayName: string;
  /** ISO 8601 UTC instant. */
  date: string;
  direction: MessageDirection;
  /** The peer, E.164 for phone endpoints. */
  otherAddress: string;
  /** The endpoint's own address. */
  sender: string;
  text: string;
  isUnread: boolean;
}

/** A stored message also knows its session, which MessageInfo (the wire DTO) does not carry. */
export interface StoredMessage extends MessageInfo {
  sessionId: string;
  /** What the edna API answered for this message, replayed as it was. */
  edna?: EdnaReply;
  /** A STOP, START or HELP confirmation (lib/domain/consent/): never blocked by the opt-out it confirms. */
  consentReply?: true;
}

/** The response of edna's outgoing-to-device, as the seed shows it: numbers, unique, never reused. */
export interface EdnaReply {
  id: number;
  threadId: number;
  clientId: number;
  clientExternalId: string | null;
  agentId: number;
}

export function outgoingMessage(session: Session, text: string, id: string, date: Date): StoredMessage {
  return {
    id,
    sessionId: session.sessionId,
    accountId: session.accountId,
    customerId: session.customerId,
    endpointId: session.endpointId,
    endpointDisplayName: session.endpointDisplayName,
    date: date.toISOString(),
    direction: 'Outgoing',
    otherAddress: session.otherAddress,
    sender: session.sender,
    text,
    isUnread: false,
  };
}

export function toMessageInfo({ sessionId: _sessionId, edna: _edna, consentReply: _consentReply, ...info }: StoredMessage): MessageInfo {
  return info;
}
