import { parsePhoneNumberFromString, type MetadataJson } from 'libphonenumber-js/core';
import { invalidField } from './errors.js';
// The package's own metadata without its formats, which this module never uses (scripts/phone-metadata.ts).
import metadata from './phone-metadata.json' with { type: 'json' };
import type { PhoneNumbers } from './ports.js';

const DIALLABLE = /^[+\d\s().-]+$/;

/**
 * Normalises a peer address to E.164 ("+1 555 777 8888" -> "+15557778888").
 * Accepts any number whose length is possible for its country code: validity by number ranges
 * would refuse the 555 numbers every demo and test uses, and carriers decide deliverability anyway.
 */
export function toE164(address: string, field: string): string {
  const phone = DIALLABLE.test(address) ? parsePhoneNumberFromString(address, metadata as MetadataJson) : undefined;
  if (!phone?.isPossible()) {
    throw invalidField(field, 'InvalidPhoneNumber', `'${field}' must be a phone number in international format, e.g. +15556667777.`);
  }
  return phone.number;
}

export const phoneNumbers: PhoneNumbers = { toE164 };

/**
 * The ISO 3166 country an E.164 number is billed in: the country whose ranges hold it, else the main
 * country of its calling code (+1 555… is the US, +44 7700 900… GB), else `+<code>` for a
 * non-geographic code (+882, +883: international networks), which no allow-list of countries names.
 */
export function countryOf(e164: string): string | undefined {
  const phone = parsePhoneNumberFromString(e164, metadata as MetadataJson);
  if (!phone) return undefined;
  const codes = (metadata as MetadataJson).country_calling_codes as Record<string, string[] | undefined>;
  return phone.country ?? codes[phone.countryCallingCode]?.[0] ?? `+${phone.countryCallingCode}`;
}

/** Whether `code` is an ISO 3166 alpha-2 country that has phone numbers (US, GB, ...). */
export const isPhoneCountry = (code: string): boolean => Object.hasOwn((metadata as MetadataJson).countries, code);
