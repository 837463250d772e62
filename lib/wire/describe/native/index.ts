import { csharp } from './csharp.js';
import { js, mjs } from './javascript.js';
import type { Language } from './language.js';
import { allNativeTypes, selectTypes } from './model.js';
import { header, Options, withoutOptions, type HeaderInfo } from './options.js';
import { python } from './python.js';
import { typescript } from './typescript.js';
import { vbnet } from './vbnet.js';

/** The languages of /types/{lang} and of the metadata pages' &lang=, in the pages' order. */
export const LANGUAGES: readonly Language[] = [csharp, typescript, mjs, python, vbnet, js];

export const language = (id: string): Language | undefined => LANGUAGES.find((l) => l.id === id.toLowerCase());

/**
 * The metadata pages' languages: as on ServiceStack's pages (and the seed's), `lang=js` shows the
 * ES module code, so CommonJS has no tab of its own there; /types/js still serves it.
 */
export const PAGE_LANGUAGES = LANGUAGES.filter((l) => l.id !== 'js');
export const pageLanguage = (id: string): Language | undefined => language(id.toLowerCase() === 'js' ? 'mjs' : id);

/** `/types/{lang}`: the options header (unless `?WithoutOptions`), then the selected types. */
export function nativeTypesCode(lang: Language, query: Record<string, string>, info: HeaderInfo): string {
  const options = new Options(lang.defaults, query);
  const types = selectTypes(allNativeTypes(), options.list('IncludeTypes'), options.list('ExcludeTypes'));
  const code = lang.code(types, { options, bare: false });
  return withoutOptions(query) ? code : `${header(lang.style, options, info)}\n\n${code}`;
}

/** The code the metadata page of one operation shows: its types alone, no header. */
export function operationCode(lang: Language, operation: string): string {
  const options = new Options(lang.defaults, {});
  return lang.code(selectTypes(allNativeTypes(), [`${operation}.*`], undefined), { options, bare: true });
}
