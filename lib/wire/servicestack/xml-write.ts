export const XSI = 'http://www.w3.org/2001/XMLSchema-instance';

/** CR as a reference (as .NET writes it): a literal CR would reach the reader as LF (XML end-of-line handling). */
const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;', '\r': '&#xD;' };

/** Characters outside XML 1.0's Char production (C0 controls but tab, LF, CR; U+FFFE, U+FFFF). */
const NOT_XML_CHAR = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;

/**
 * Stored text may predate today's validation: an unpaired surrogate or a character XML cannot
 * carry becomes U+FFFD, visibly replaced, rather than a document no client can read.
 */
const escapeXml = (text: string): string =>
  text
    .toWellFormed()
    .replace(NOT_XML_CHAR, '\ufffd')
    .replace(/[&<>"'\r]/g, (c) => ESCAPES[c]!);

/**
 * Element names of array items, by the array's own element name; with a namespace when the items'
 * contract lives in another one than the list's (.NET writes a prefix, a default xmlns means the same).
 */
export type ItemNames = Record<string, string | { element: string; namespace: string }>;

/** Writes a value as DataContract XML: properties in the object's key order, nulls as i:nil. */
export function writeDataContract(root: string, namespace: string, value: Record<string, unknown>, items: ItemNames = {}): string {
  return `<${root} xmlns:i="${XSI}" xmlns="${namespace}">${children(value, items)}</${root}>`;
}

function children(value: Record<string, unknown>, items: ItemNames): string {
  return Object.entries(value)
    .map(([name, child]) => element(name, child, items))
    .join('');
}

function element(name: string, value: unknown, items: ItemNames): string {
  if (value === null || value === undefined) return `<${name} i:nil="true" />`;
  if (Array.isArray(value)) return `<${name}>${value.map((item) => itemElement(items[name], item, items)).join('')}</${name}>`;
  if (typeof value === 'object') return `<${name}>${children(value as Record<string, unknown>, items)}</${name}>`;
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}

function itemElement(names: ItemNames[string] | undefined, value: unknown, items: ItemNames): string {
  if (typeof names !== 'object') return element(names ?? 'item', value, items);
  const xml = element(names.element, value, items);
  return xml.replace(`<${names.element}`, `<${names.element} xmlns="${names.namespace}"`);
}
