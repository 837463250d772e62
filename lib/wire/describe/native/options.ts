import { invalidField } from '../../../domain/errors.js';

/** An option's default: a flag, a text (null prints empty), or a list. */
export type OptionDefault = boolean | string | null | string[];

/** How one language writes its options header ("Add ServiceStack Reference" reads it back). */
export interface HeaderStyle {
  open: string;
  close: string | undefined;
  /** Before every header line (VB.NET: `'`). */
  line: string;
  /** Before an option left at its default: removing it is how a user overrides the option. */
  commented: string;
  listSeparator: string;
}

const NAME = '[A-Za-z_][A-Za-z0-9_]*';
const DOTTED = `${NAME}(?:\\.${NAME})*`;
/** `module` or `module:name/name` (Python: `typing:*`, `dataclasses:dataclass/field`); a module may be a package path. */
const IMPORT = `@?${NAME}(?:[./-]${NAME})*(?::(?:\\*|${NAME}(?:/${NAME})*))?`;
const whole = (pattern: string) => new RegExp(`^(?:${pattern})$`);

/** What each option given as text or list may hold, so that nothing but names reaches the generated code or its header. */
const TEXT_RULES: Record<string, [RegExp, string]> = {
  GlobalNamespace: [whole(DOTTED), 'a namespace: names joined by dots'],
  AddImplicitVersion: [/^\d{1,9}$/, 'a whole number'],
  AddDefaultXmlNamespace: [/^https?:\/\/[A-Za-z0-9._~:/?#@!$&=%-]{1,200}$/, 'an http(s) URL'],
  DataClass: [/^[A-Za-z0-9_=.]+(?:, ?[A-Za-z0-9_=.]+)*$/, 'dataclass arguments: name=value, ...'],
  DataClassJson: [/^[A-Za-z0-9_=.]+(?:, ?[A-Za-z0-9_=.]+)*$/, 'dataclass_json arguments: name=value, ...'],
};
const LIST_RULES: Record<string, [RegExp, string]> = {
  IncludeTypes: [whole(`${DOTTED}(?:\\.\\*)?`), 'type names (Name or Name.*), comma-separated'],
  ExcludeTypes: [whole(`${DOTTED}(?:\\.\\*)?`), 'type names, comma-separated'],
  AddNamespaces: [whole(DOTTED), 'namespaces (names joined by dots), comma-separated'],
  DefaultImports: [whole(IMPORT), 'imports (module or module:name/name), comma-separated'],
};

/**
 * Text and list options are written into the generated code and its comment header: a newline, a
 * quote or `*\/` there would let a link ("add this reference") plant code in a victim's build. So each
 * must be what it names (identifiers, dotted names, imports), else the request is refused, naming it.
 * Flags are never printed as given (True or False), so any value is read as ServiceStack reads it.
 */
function checked(name: string, value: string, fallback: OptionDefault): string {
  if (typeof fallback === 'boolean') return value;
  const list = Array.isArray(fallback);
  const [pattern, what] = (list ? LIST_RULES[name] : TEXT_RULES[name]) ?? [whole(DOTTED), 'a name'];
  const items = list ? value.split(',').map((item) => item.trim()) : [value];
  if (value.length > 1000 || !items.every((item) => item === '' || pattern.test(item)))
    throw invalidField(name, 'InvalidOption', `'${name}' must be ${what}.`);
  return value;
}

/** The options of one request: ServiceStack's defaults, overridden by the query string (names case-insensitive). */
export class Options {
  private readonly given = new Map<string, string>();

  constructor(
    readonly defaults: Readonly<Record<string, OptionDefault>>,
    query: Record<string, string>,
  ) {
    const byLowerName = new Map(Object.keys(defaults).map((key) => [key.toLowerCase(), key]));
    for (const [key, value] of Object.entries(query)) {
      const name = byLowerName.get(key.toLowerCase());
      // ServiceStack treats an empty value as not given, so the line stays commented.
      if (name !== undefined && value.trim() !== '') this.given.set(name, checked(name, value.trim(), defaults[name]!));
    }
  }

  isGiven = (key: string): boolean => this.given.has(key);

  flag(key: string): boolean {
    const given = this.given.get(key);
    return given === undefined ? this.defaults[key] === true : /^true$/i.test(given);
  }

  text(key: string): string | undefined {
    const value = this.given.get(key) ?? this.defaults[key];
    return typeof value === 'string' && value !== '' ? value : undefined;
  }

  list(key: string): string[] | undefined {
    const given = this.given.get(key);
    if (given === undefined) return (this.defaults[key] as string[] | null) ?? undefined;
    return given
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item !== '');
  }

  /** The option's value as the header prints it: True/False, a list joined, null as nothing. */
  print(key: string, listSeparator: string): string {
    const fallback = this.defaults[key];
    if (typeof fallback === 'boolean') return this.flag(key) ? 'True' : 'False';
    if (Array.isArray(fallback)) return (this.list(key) ?? []).join(listSeparator);
    return this.given.get(key) ?? fallback ?? '';
  }
}

export interface HeaderInfo {
  baseUrl: string;
  date: Date;
}

/** ServiceStack's `Version:` line: the generator version whose output these DTOs follow. */
const VERSION = '6.50';

/** ServiceStack's `Date:` format: local ISO without the T (here always UTC). */
const printDate = (date: Date): string => date.toISOString().slice(0, 19).replace('T', ' ');

/**
 * The options header. Every option is printed: uncommented when the request gave it, so that a
 * user's override survives every later update of the reference (the CLI sends back exactly the
 * uncommented lines after `BaseUrl:`).
 */
export function header(style: HeaderStyle, options: Options, { baseUrl, date }: HeaderInfo): string {
  const { line, commented, listSeparator } = style;
  const lines = [
    `${style.open} Options:`,
    `${line}Date: ${printDate(date)}`,
    `${line}Version: ${VERSION}`,
    `${line}Tip: To override a DTO option, remove "${commented}" prefix before updating`,
    `${line}BaseUrl: ${baseUrl}`,
    line,
    ...Object.keys(options.defaults).map(
      (key) => `${line}${options.isGiven(key) ? '' : commented}${key}: ${options.print(key, listSeparator)}`,
    ),
  ];
  return [...lines, ...(style.close === undefined ? [] : [style.close])].join('\n');
}

/** `?WithoutOptions` leaves the header out, as ServiceStack does for the metadata pages' code. */
export const withoutOptions = (query: Record<string, string>): boolean =>
  Object.keys(query).some((key) => key.toLowerCase() === 'withoutoptions');
