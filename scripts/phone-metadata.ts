import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

/**
 * `npm run phone-metadata` writes lib/domain/phone-metadata.json: libphonenumber-js's own "min"
 * metadata without what only formatting reads. The service parses numbers to E.164 and checks their
 * possible lengths (lib/domain/phone.ts); it never formats one, and the formats are most of the
 * metadata. Everything parsing reads is kept as it is: calling codes, international prefixes,
 * national number patterns, possible lengths, national prefixes for parsing, leading digits and the
 * type patterns that choose between the countries of a shared calling code.
 * test/unit/phone.test.ts fails when the committed file is not what this script makes of the
 * installed package, and proves that parsing answers as with the package's own metadata.
 */
type Plan = unknown[];
interface Metadata {
  countries: Record<string, Plan>;
  nonGeographic?: Record<string, Plan>;
}

/** Positions, in a numbering plan of metadata version 4, of what only formatting reads. */
const FORMATS = 4;
const NATIONAL_PREFIX_FORMATTING_RULE = 6;
const NATIONAL_PREFIX_OPTIONAL_WHEN_FORMATTING = 9;

const withoutFormatting = (plan: Plan): Plan =>
  plan.map((value, i) => ([FORMATS, NATIONAL_PREFIX_FORMATTING_RULE, NATIONAL_PREFIX_OPTIONAL_WHEN_FORMATTING].includes(i) ? 0 : value));

const mapPlans = (plans: Record<string, Plan>) =>
  Object.fromEntries(Object.entries(plans).map(([key, plan]) => [key, withoutFormatting(plan)]));

export function phoneMetadata(source: Metadata & Record<string, unknown>): Metadata {
  if (source.version !== 4)
    throw new Error(`libphonenumber-js metadata version ${String(source.version)}: check the positions in scripts/phone-metadata.ts`);
  return {
    ...source,
    countries: mapPlans(source.countries),
    ...(source.nonGeographic ? { nonGeographic: mapPlans(source.nonGeographic) } : {}),
  };
}

export const installedMetadata = (): Metadata & Record<string, unknown> =>
  JSON.parse(readFileSync(createRequire(import.meta.url).resolve('libphonenumber-js/metadata.min.json'), 'utf8')) as Metadata &
    Record<string, unknown>;

export const metadataFile = fileURLToPath(new URL('../lib/domain/phone-metadata.json', import.meta.url));

if (process.argv[1] === fileURLToPath(import.meta.url))
  writeFileSync(metadataFile, `${JSON.stringify(phoneMetadata(installedMetadata()))}\n`);
