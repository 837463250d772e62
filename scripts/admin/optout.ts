import { readFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { basename } from 'node:path';
import { ulid } from 'ulid';
import * as z from 'zod/mini';
import { changeConsent, type ConsentSource, type ConsentState } from '../../lib/domain/consent/optouts.js';
import type { ConsentTexts } from '../../lib/domain/consent/texts.js';
import { invalidField, isDomainError } from '../../lib/domain/errors.js';
import { toE164 } from '../../lib/domain/phone.js';
import { nameSchema, parseOrThrow } from '../../lib/domain/validation.js';
import { consentStore } from '../../lib/runtime/consent.js';
import * as store from '../../lib/store/optouts.js';
import type { AdminContext } from './actions.js';

/**
 * `optout list | show | add | remove | import | texts --account ID` (docs/consent.md): operators manage
 * an account's opt-out list. Every change is recorded with the operator (`--by`, else the OS user) and
 * the time, like the tenants' API changes with their key.
 */
const operatorName = (by: string | undefined): string => by ?? userInfo().username;
const reasonOf = (reason: string | undefined): string => parseOrThrow(z.object({ reason: nameSchema(500) }), { reason }).reason;

export async function list({ table }: AdminContext, accountId: string, all: boolean) {
  const records = [];
  let cursor: string | undefined;
  do {
    const page = await store.listConsent(table, accountId, { limit: 100, cursor, all });
    records.push(
      ...page.records.map((r) => ({
        number: r.number,
        state: r.state,
        updatedAt: r.updatedAt,
        by: r.lastChange.by,
        reason: r.lastChange.reason,
      })),
    );
    cursor = page.cursor;
  } while (cursor);
  return records;
}

export async function show({ table }: AdminContext, accountId: string, number: string) {
  const e164 = toE164(number, 'number');
  const [record, history] = await Promise.all([
    store.getConsent(table, accountId, e164, true),
    store.consentHistory(table, accountId, e164),
  ]);
  return { number: e164, state: record?.state ?? 'optedIn', history };
}

async function set(
  o: AdminContext,
  accountId: string,
  number: string,
  state: ConsentState,
  reason: string,
  source: ConsentSource & { operator: string },
) {
  const e164 = toE164(number, 'number');
  const outcome = await changeConsent(consentStore(o.table), {
    changeId: ulid(),
    accountId,
    number: e164,
    state,
    reason,
    source,
    by: `operator:${source.operator}`,
    at: o.now().toISOString(),
  });
  return { number: e164, state, changed: outcome.changed };
}

export const add = (o: AdminContext, accountId: string, number: string, reason: string | undefined, by?: string) =>
  set(o, accountId, number, 'optedOut', reasonOf(reason), { kind: 'cli', operator: operatorName(by) });

export const remove = (o: AdminContext, accountId: string, number: string, reason: string | undefined, by?: string) =>
  set(o, accountId, number, 'optedIn', reasonOf(reason), { kind: 'cli', operator: operatorName(by) });

/**
 * A CSV of numbers to opt out, one per line: `number[,reason]` (a header line, or any line whose first
 * cell has letters, is skipped). `--reason` is the reason of lines that give none. A bad number is
 * reported with its line and the rest is imported: a change is idempotent, so a fixed file can be run again.
 */
export async function importCsv(o: AdminContext, accountId: string, file: string, reason: string | undefined, by?: string) {
  const operator = operatorName(by);
  const lines = (await readFile(file, 'utf8')).split(/\r?\n/);
  const result = { added: 0, unchanged: 0, refused: [] as { line: number; number: string; error: string }[] };
  for (const [index, line] of lines.entries()) {
    const [cell = '', ...rest] = line.split(',').map((c) => c.trim().replace(/^"|"$/g, ''));
    if (cell === '' || /[a-z]/i.test(cell)) continue;
    try {
      const why = reasonOf(rest.join(',').trim() || reason || `import ${basename(file)}`);
      const { changed } = await set(o, accountId, cell, 'optedOut', why, { kind: 'import', operator, file: basename(file) });
      result[changed ? 'added' : 'unchanged']++;
    } catch (error) {
      if (!isDomainError(error) || error.code === 'unavailable') throw error;
      result.refused.push({ line: index + 1, number: cell, error: error.fields[0]?.message ?? error.message });
    }
  }
  return result;
}

/** The account's own confirmations; the ones not given keep their current value (the default until set). */
export async function texts({ table }: AdminContext, accountId: string, given: Partial<ConsentTexts>) {
  const merged = { ...(await store.getConsentTexts(table, accountId)), ...given };
  for (const [key, value] of Object.entries(given)) if (!value.trim()) throw invalidField(key, 'NotEmpty', `'${key}' must not be empty.`);
  await store.putConsentTexts(table, accountId, merged);
  return { accountId, texts: merged };
}
