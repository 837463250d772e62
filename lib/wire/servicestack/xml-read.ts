import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { DomainError } from '../../domain/errors.js';

const MAX_DEPTH = 8;

const notXml = (message: string): DomainError => new DomainError('invalid', message, [], { reason: 'SerializationException' });

/**
 * Declarations are refused before any parsing: no DOCTYPE means no entity can be declared, so
 * nothing can expand (billion laughs) or be fetched (XXE); processing instructions other than the
 * XML declaration are refused too.
 */
const HOSTILE = /<!DOCTYPE|<!ENTITY|<!\[INCLUDE|<!\[IGNORE|<\?(?!xml[\s?])/i;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  ignoreDeclaration: true,
  maxNestedTags: MAX_DEPTH,
});

/**
 * Reads a DataContract request: `<Root xmlns=...><Field>value</Field>...</Root>` to
 * `{ Field: 'value' }`. `i:nil="true"` elements are absent; nested elements stay objects (and fail
 * validation as the wrong type).
 */
export function parseDataContract(xml: string, root: string): Record<string, unknown> {
  if (HOSTILE.test(xml)) throw notXml('XML with a DOCTYPE, entity declaration or processing instruction is not accepted');
  if (XMLValidator.validate(xml) !== true) throw notXml('The request body is not well-formed XML');
  let document: Record<string, unknown>;
  try {
    document = parser.parse(xml) as Record<string, unknown>;
  } catch {
    throw notXml(`The request body is not XML this service reads (nested deeper than ${MAX_DEPTH})`);
  }
  const element = document[root];
  if (element === undefined) throw notXml(`The XML request must be a <${root}> element`);
  if (typeof element !== 'object' || element === null) return {};
  const dto: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(element)) {
    if (name.startsWith('@')) continue;
    const read = readValue(value);
    if (read !== undefined) dto[name] = read;
  }
  return dto;
}

function readValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(readValue);
  if (typeof value !== 'object' || value === null) return value;
  const element = value as Record<string, unknown>;
  if (element['@nil'] === 'true') return undefined;
  const children = Object.keys(element).filter((key) => !key.startsWith('@') && key !== '#text');
  if (children.length === 0) return element['#text'] ?? '';
  return element;
}
