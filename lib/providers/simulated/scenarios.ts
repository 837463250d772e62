/**
 * The simulated carrier's outcomes, chosen by the last two digits of the destination (README,
 * "The simulated provider"), in the manner of Twilio's magic numbers: deterministic, so that tests and
 * people can ask for any path of the lifecycle.
 */
export interface ScenarioReport {
  /** The carrier's own status name (mapped to ours by `SIMULATED_STATUSES`). */
  status: keyof typeof SIMULATED_STATUSES;
  errorCode?: string;
  /** After the hand-off, on the carrier's clock. */
  afterMs: number;
  /** Reports sharing a `copyOf` carry the same report id: one receipt delivered twice. */
  copyOf?: number;
}

export interface Scenario {
  name: string;
  /** The refusal of the n-th call (1-based) for a message, if it is refused. */
  refuse?: (call: number) => { retryable: boolean; errorCode: string; errorMessage: string } | undefined;
  reports: ScenarioReport[];
}

export const SIMULATED_STATUSES = {
  SENT: 'sent',
  DELIVERED: 'delivered',
  READ: 'read',
  UNDELIVERED: 'undelivered',
  FAILED: 'failed',
  EXPIRED: 'expired',
} as const;

const delivered: ScenarioReport[] = [{ status: 'DELIVERED', afterMs: 100 }];
const throttled = { retryable: true, errorCode: 'THROTTLED', errorMessage: 'Too many messages; retry later' };

export const SCENARIOS: Record<string, Scenario> = {
  '01': {
    name: 'invalid number',
    refuse: () => ({ retryable: false, errorCode: 'INVALID_NUMBER', errorMessage: 'The destination is not a valid mobile number' }),
    reports: [],
  },
  '02': {
    name: 'sent, then unreachable',
    reports: [
      { status: 'SENT', afterMs: 50 },
      { status: 'UNDELIVERED', errorCode: 'UNREACHABLE', afterMs: 100 },
    ],
  },
  '03': { name: 'throttled once, then delivered', refuse: (call) => (call === 1 ? throttled : undefined), reports: delivered },
  '04': { name: 'no receipt', reports: [{ status: 'SENT', afterMs: 50 }] },
  '05': {
    name: 'receipts out of order',
    reports: [
      { status: 'DELIVERED', afterMs: 50 },
      { status: 'SENT', afterMs: 100 },
    ],
  },
  '06': {
    name: 'duplicate receipts',
    reports: [
      { status: 'DELIVERED', afterMs: 50 },
      { status: 'DELIVERED', afterMs: 100, copyOf: 0 },
    ],
  },
  '07': {
    name: 'three segments, the second fails',
    reports: [
      { status: 'DELIVERED', afterMs: 50 },
      { status: 'UNDELIVERED', errorCode: 'SEGMENT_LOST', afterMs: 100 },
      { status: 'DELIVERED', afterMs: 150 },
    ],
  },
  '08': { name: 'always throttled', refuse: () => throttled, reports: [] },
  '09': {
    name: 'delivered, then read',
    reports: [
      { status: 'DELIVERED', afterMs: 50 },
      { status: 'READ', afterMs: 100 },
    ],
  },
};

export const DEFAULT_SCENARIO: Scenario = { name: 'delivered', reports: delivered };

/** The scenario of a destination: by its last two digits, `delivered` for any not in the table. */
export const scenarioFor = (destination: string): Scenario => SCENARIOS[destination.slice(-2)] ?? DEFAULT_SCENARIO;
