import * as z from 'zod/mini';
import type { Principal } from '../auth.js';
import type { PhoneNumbers } from '../ports.js';
import { nameSchema, parseOrThrow } from '../validation.js';
import {
  changeConsent,
  type ConsentChange,
  type ConsentRecord,
  type ConsentSource,
  type ConsentState,
  type ConsentStore,
} from './optouts.js';

/**
 * A tenant's own opt-out list through the API (docs/consent.md): list, look up with the evidence, add
 * (a STOP received another way: a paper form, a call) and remove (an opt-in the recipient gave), each
 * with a reason and recorded with the key that made it. Always the caller's own account.
 */
export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 100;

export const listOptOutsSchema = z.object({
  limit: z.optional(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(MAX_PAGE_SIZE))),
  cursor: z.optional(z.string().check(z.maxLength(20))),
  /** Every number recorded, opted back in too. */
  all: z.optional(z.enum(['true', 'false'])),
});
export const optOutNumberSchema = z.object({ number: z.string().check(z.minLength(1), z.maxLength(40)) });
export const changeOptOutSchema = z.object({ number: optOutNumberSchema.shape.number, reason: nameSchema(500) });

export interface ManageDeps {
  consent: ConsentStore;
  phones: PhoneNumbers;
  clock: { now(): Date };
  ids: { next(): string };
}

/** Who made an API change: the key, as provisioning names it (`key_` and 16 hex of its hash). */
export interface Caller {
  principal: Principal;
  keyId: string;
}

export interface OptOutView {
  number: string;
  state: ConsentState;
  updatedAt: string | null;
  lastChange: ConsentChange | null;
}
export interface OptOutList {
  results: OptOutView[];
  /** Pass back as `cursor` for the next page; absent on the last. A page may hold fewer than `limit`. */
  next?: string;
}
export interface OptOutDetail extends OptOutView {
  /** Every change, oldest first: the evidence. */
  history: ConsentChange[];
}

const view = (number: string, record: ConsentRecord | undefined): OptOutView => ({
  number,
  state: record?.state ?? 'optedIn',
  updatedAt: record?.updatedAt ?? null,
  lastChange: record?.lastChange ?? null,
});

export async function listOptOuts(deps: ManageDeps, { principal }: Caller, input: unknown): Promise<OptOutList> {
  const { limit = DEFAULT_PAGE_SIZE, cursor, all } = parseOrThrow(listOptOutsSchema, input);
  const page = await deps.consent.listConsent(principal.accountId, { limit, cursor, all: all === 'true' });
  return { results: page.records.map((r) => view(r.number, r)), ...(page.cursor ? { next: page.cursor } : {}) };
}

export async function getOptOut(deps: ManageDeps, { principal }: Caller, input: unknown): Promise<OptOutDetail> {
  const number = deps.phones.toE164(parseOrThrow(optOutNumberSchema, input).number, 'number');
  const [record, history] = await Promise.all([
    deps.consent.getConsent(principal.accountId, number, true),
    deps.consent.history(principal.accountId, number),
  ]);
  return { ...view(number, record), history };
}

/** Adds (`optedOut`) or removes (`optedIn`) a number; a no-op answering the current state when it is already so. */
export async function setOptOut(deps: ManageDeps, caller: Caller, state: ConsentState, input: unknown): Promise<OptOutView> {
  const parsed = parseOrThrow(changeOptOutSchema, input);
  const number = deps.phones.toE164(parsed.number, 'number');
  const source: ConsentSource = { kind: 'api', keyId: caller.keyId };
  const outcome = await changeConsent(deps.consent, {
    changeId: deps.ids.next(),
    accountId: caller.principal.accountId,
    number,
    state,
    reason: parsed.reason,
    source,
    by: caller.keyId,
    at: deps.clock.now().toISOString(),
  });
  return outcome.changed
    ? view(number, { ...outcome.change, version: 0, updatedAt: outcome.change.at, lastChange: outcome.change })
    : view(number, outcome.record);
}
