/**
 * Send guards: checks that may refuse a send after it is validated and addressed and before anything
 * is stored (the account's destinations and quota, consent, ...). Each send path runs the guards its
 * runtime wires (`guards` in the deps), in order; a guard refuses by throwing a DomainError.
 */
export interface OutgoingSend {
  accountId: string;
  /** 'SMS' for SendMessage; the edna channel (WHATSAPP, SMS, VIBER, ...) for outgoing-to-device. */
  channel: string;
  /** The peer: E.164 when `phone`, else the channel's own device id. */
  to: string;
  phone: boolean;
  /** The request field that named the peer, for the refusal (`toAddress`, `sessionId`, `clientApplicationDescriptor.deviceAddress`). */
  field: string;
  segments?: number;
}

export interface SendGuard {
  check(send: OutgoingSend): Promise<void>;
}

export async function runGuards(guards: readonly SendGuard[] | undefined, send: OutgoingSend): Promise<void> {
  for (const guard of guards ?? []) await guard.check(send);
}
