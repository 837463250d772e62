import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { getCountryCallingCode, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/min';
import examples from 'libphonenumber-js/examples.mobile.json' with { type: 'json' };
import { describe, expect, it } from 'vitest';
import { isDomainError } from '../../lib/domain/errors.js';
import { toE164 } from '../../lib/domain/phone.js';
import { installedMetadata, metadataFile, phoneMetadata } from '../../scripts/phone-metadata.js';

/** What toE164 answers, with the package's full "min" metadata instead of the reduced one. */
function reference(address: string): string | 'refused' {
  const phone = /^[+\d\s().-]+$/.test(address) ? parsePhoneNumberFromString(address) : undefined;
  return phone?.isPossible() ? phone.number : 'refused';
}

function answer(address: string): string | 'refused' {
  try {
    return toE164(address, 'toAddress');
  } catch (error) {
    if (isDomainError(error)) return 'refused';
    throw error;
  }
}

const spellings = (country: string, national: string): string[] => {
  const code = getCountryCallingCode(country as CountryCode);
  return [
    `+${code}${national}`,
    `+${code} ${national}`,
    `+${code} (${national.slice(0, 3)}) ${national.slice(3)}`,
    `+${code}0${national}`,
    `+${code}${national}1`,
    `+${code}${national.slice(0, -1)}`,
  ];
};

describe('phone numbers with the reduced metadata', () => {
  it('uses exactly what scripts/phone-metadata.ts makes of the installed libphonenumber-js (run npm run phone-metadata)', () => {
    expect(JSON.parse(readFileSync(metadataFile, 'utf8'))).toEqual(phoneMetadata(installedMetadata()));
  });

  it('answers as the full metadata for every country, in several spellings and wrong lengths', () => {
    const addresses = Object.entries(examples).flatMap(([country, national]) => spellings(country, national));
    expect(addresses.map(answer)).toEqual(addresses.map(reference));
  });

  it('answers as the full metadata for any diallable input', () => {
    const diallable = fc.oneof(fc.stringMatching(/^\+?[\d ().-]{0,20}$/), fc.stringMatching(/^\+[1-9]\d{5,15}$/));
    fc.assert(
      fc.property(diallable, (address) => answer(address) === reference(address)),
      { numRuns: 5000 },
    );
  });

  it('normalises to E.164 and refuses what is not a possible number', () => {
    expect(answer('+1 (555) 777-8888')).toBe('+15557778888');
    expect(answer('+44 20 7946 0958')).toBe('+442079460958');
    expect(answer('+1555')).toBe('refused');
    expect(answer('hello')).toBe('refused');
  });
});
