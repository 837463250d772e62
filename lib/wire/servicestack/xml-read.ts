import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { DomainError, isDomainError } from '../../domain/errors.js';
import { decodeReferences } from './xml-references.js';

/** Deepest element nesting read, counting the root as level 1: `<SendMessage><Body>` is 2. */
export const MAX_DEPTH = 8;

/** The root element a DTO is read from, as DataContractSerializer names it. */
export interface DataContractName {
  root: string;
  namespace: string;
}

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
  // Prefixes are kept so that the root's namespace can be resolved; children drop theirs below.
  removeNSPrefix: false,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  ignoreDeclaration: true,
  // The parser counts the document node too: this limit lets exactly MAX_DEPTH elements nest.
  maxNestedTags: MAX_DEPTH - 1,
  entityDecoder: { decode: decodeReferences, reset() {}, setXmlVersion() {}, addInputEntities() {}, setExternalEntities() {} },
});

/**
 * Reads a DataContract request: `<Root xmlns=namespace><Field>value</Field>...</Root>` to
 * `{ Field: 'value' }`. The root must be in the contract's namespace, as DataContractSerializer
 * requires. `i:nil="true"` elements are absent; nested elements stay objects (and fail validation
 * as the wrong type).
 */
export function parseDataContract(xml: string, contract: DataContractName): Record<string, unknown> {
  if (HOSTILE.test(xml)) throw notXml('XML with a DOCTYPE, entity declaration or processing instruction is not accepted');
  if (XMLValidator.validate(xml) !== true) throw notXml('The request body is not well-formed XML');
  const [name, element] = rootElement(parse(xml));
  const [prefix, local] = splitName(name);
  if (local !== contract.root) throw notXml(`The XML request must be a <${contract.root}> element`);
  // An element without attributes or children (`<SendMessage/>`) reads as a string: it has no namespace.
  const members = typeof element === 'object' && element !== null ? (element as Record<string, unknown>) : {};
  const namespace = members[prefix ? `@xmlns:${prefix}` : '@xmlns'];
  if (namespace !== contract.namespace) {
    throw notXml(`Expecting element '${contract.root}' from namespace '${contract.namespace}', not from namespace '${String(namespace ?? '')}'`);
  }
  const dto: Record<string, unknown> = {};
  for (const [child, value] of Object.entries(members)) {
    if (child.startsWith('@') || child === '#text') continue;
    const read = readValue(value);
    if (read !== undefined) dto[splitName(child)[1]] = read;
  }
  return dto;
}

function parse(xml: string): Record<string, unknown> {
  try {
    return parser.parse(xml) as Record<string, unknown>;
  } catch (error) {
    if (isDomainError(error)) throw error;
    const message = error instanceof Error ? error.message : '';
    if (/nested tags/i.test(message)) throw notXml(`The request body nests XML elements deeper than ${MAX_DEPTH} levels`);
    const reserved = /Invalid name: "([^"]+)"/.exec(message)?.[1];
    if (reserved) throw notXml(`The XML name '${reserved}' is not accepted`);
    throw notXml('The request body is not well-formed XML');
  }
}

function rootElement(document: Record<string, unknown>): [string, unknown] {
  const roots = Object.entries(document);
  if (roots.length !== 1 || Array.isArray(roots[0]![1])) throw notXml('The request body must hold exactly one XML element');
  return roots[0]!;
}

/** `p:Name` to `['p', 'Name']`, `Name` to `['', 'Name']`. */
function splitName(name: string): [string, string] {
  const colon = name.indexOf(':');
  return colon < 0 ? ['', name] : [name.slice(0, colon), name.slice(colon + 1)];
}

/** `i:nil` under whatever prefix the writer bound to the schema-instance namespace. */
function isNilAttribute(key: string): boolean {
  if (!key.startsWith('@')) return false;
  const [prefix, local] = splitName(key.slice(1));
  return local === 'nil' && prefix !== 'xmlns';
}

function readValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(readValue);
  if (typeof value !== 'object' || value === null) return value;
  const element = value as Record<string, unknown>;
  if (Object.entries(element).some(([key, flag]) => isNilAttribute(key) && flag === 'true')) return undefined;
  const children = Object.keys(element).filter((key) => !key.startsWith('@') && key !== '#text');
  if (children.length === 0) return element['#text'] ?? '';
  return element;
}
