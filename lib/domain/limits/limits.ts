import { DomainError, invalidField } from '../errors.js';
import { countryOf, isPhoneCountry } from '../phone.js';
import type { OutgoingSend, SendGuard } from './guard.js';
import type { QuotaCounter } from './quota.js';

/** Messages an account may send per UTC day unless an operator sets its own (`account limits --daily-quota`). */
export const DEFAULT_DAILY_QUOTA = 10_000;

/** What an operator set for an account, and the numbers of its endpoints (the default allow-list). */
export interface AccountLimitSettings {
  /** ISO 3166 alpha-2 codes; absent: the countries of `endpointAddresses`. */
  countries?: readonly string[];
  dailyQuota?: number;
  endpointAddresses: readonly string[];
}

/** The runtime caches it per container for a bounded time (docs/operations.md, "Limits"). */
export interface AccountLimitsStore {
  getLimits(accountId: string): Promise<AccountLimitSettings>;
}

export interface AccountLimits {
  countries: ReadonlySet<string>;
  dailyQuota: number;
}

// Derived once per settings object: the store's cache hands back the same one until it reloads.
const derived = new WeakMap<AccountLimitSettings, AccountLimits>();

export function accountLimits(settings: AccountLimitSettings): AccountLimits {
  let limits = derived.get(settings);
  if (!limits) {
    const countries = settings.countries ?? settings.endpointAddresses.flatMap((address) => countryOf(address) ?? []);
    limits = { countries: new Set(countries), dailyQuota: settings.dailyQuota ?? DEFAULT_DAILY_QUOTA };
    derived.set(settings, limits);
  }
  return limits;
}

export function destinationNotAllowed(field: string, country: string | undefined, allowed: ReadonlySet<string>): DomainError {
  const where = country === undefined ? 'a number of no known country' : country.startsWith('+') ? `the network ${country}` : country;
  const list = allowed.size ? [...allowed].sort().join(', ') : 'none';
  const message = `'${field}' is in ${where}, which this account may not send to (allowed: ${list}).`;
  return new DomainError('forbidden', message, [{ field, code: 'DestinationNotAllowed', message }]);
}

/**
 * SMS pumping and spend: a phone destination must be in one of the account's countries (SMS only:
 * the channels billed per message by destination; WhatsApp and Viber are billed by their platforms),
 * and every send counts against the account's daily quota.
 */
export function limitsGuard(deps: { limits: AccountLimitsStore; quota: QuotaCounter }): SendGuard {
  return {
    async check(send: OutgoingSend) {
      const limits = accountLimits(await deps.limits.getLimits(send.accountId));
      if (send.phone && send.channel === 'SMS') {
        const country = countryOf(send.to);
        if (country === undefined || !limits.countries.has(country)) throw destinationNotAllowed(send.field, country, limits.countries);
      }
      await deps.quota.spend(send.accountId, limits.dailyQuota);
    },
  };
}

/** An operator's change (CLI): `default` goes back to the default, absent leaves the value as it is. */
export function parseLimitsChange(input: { countries?: string; dailyQuota?: string }): {
  countries?: string[] | null;
  dailyQuota?: number | null;
} {
  const change: { countries?: string[] | null; dailyQuota?: number | null } = {};
  if (input.countries === 'default') change.countries = null;
  else if (input.countries !== undefined) {
    const countries = [...new Set(input.countries.split(',').map((c) => c.trim().toUpperCase()))];
    const unknown = countries.filter((c) => !isPhoneCountry(c));
    if (unknown.length || !countries.length)
      throw invalidField(
        'countries',
        'InvalidCountry',
        `'countries' must be ISO 3166 country codes such as US,CA (not ${unknown.join(', ') || 'empty'}).`,
      );
    change.countries = countries.sort();
  }
  if (input.dailyQuota === 'default') change.dailyQuota = null;
  else if (input.dailyQuota !== undefined) {
    if (!/^\d{1,9}$/.test(input.dailyQuota))
      throw invalidField(
        'dailyQuota',
        'InvalidNumber',
        "'dailyQuota' must be a whole number of messages per UTC day (0 stops every send).",
      );
    change.dailyQuota = Number(input.dailyQuota);
  }
  return change;
}
