import { DomainError } from '../../domain/errors.js';

const PREDEFINED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** XML 1.0's Char production: the only characters a reference may name (no NUL, no surrogate). */
const isXmlChar = (cp: number): boolean =>
  cp === 0x9 || cp === 0xa || cp === 0xd || (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff);

const REFERENCE = /&([^;&]*)(;?)/g;
const NUMERIC = /^#(?:x([0-9A-Fa-f]+)|([0-9]+))$/; // `&#X...;` is not XML

const refused = (reference: string, why: string): DomainError =>
  new DomainError('invalid', `The XML reference '${reference.slice(0, 16)}' is not accepted: ${why}`, [], { reason: 'SerializationException' });

/**
 * Decodes the references of XML text in one pass: the five predefined entities and numeric
 * character references (`&#xE9;`, `&#233;`, `&#xD;` as .NET writes a CR). A reference to a
 * character XML cannot hold (`&#x0;`, `&#xD800;`, beyond U+10FFFF) or to an undeclared entity is
 * refused, as a conforming parser must, rather than dropped or kept literally.
 */
export function decodeReferences(text: string): string {
  return text.replace(REFERENCE, (reference, name: string, semicolon: string) => {
    if (!semicolon) throw refused(reference, "'&' must be written '&amp;'");
    const predefined = PREDEFINED[name];
    if (predefined !== undefined) return predefined;
    const numeric = NUMERIC.exec(name);
    if (!numeric) throw refused(reference, 'only &amp; &lt; &gt; &quot; &apos; and character references are defined');
    const codePoint = numeric[1] !== undefined ? parseInt(numeric[1], 16) : parseInt(numeric[2]!, 10);
    if (!isXmlChar(codePoint)) throw refused(reference, 'it names no character XML can hold');
    return String.fromCodePoint(codePoint);
  });
}
