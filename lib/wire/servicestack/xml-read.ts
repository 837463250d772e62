import { parseXml, XmlElement, XmlError, XmlText, type XmlDocument } from '@rgrove/parse-xml';
import { DomainError } from '../../domain/errors.js';

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

/** Names that would reach an object's prototype if they became keys of the DTO. */
const RESERVED = new Set(['__proto__', 'constructor', 'prototype']);

/** An element as the DTO binding reads it: its text, or its attributes (`@name`) and children by name. */
type Value = string | Members;
interface Members {
  [name: string]: Value | Value[];
}

/**
 * Reads a DataContract request: `<Root xmlns=namespace><Field>value</Field>...</Root>` to
 * `{ Field: 'value' }`. The root must be in the contract's namespace, as DataContractSerializer
 * requires. `i:nil="true"` elements are absent; nested elements stay objects (and fail validation
 * as the wrong type). The parser (@rgrove/parse-xml) checks well-formedness as XML 1.0 defines it,
 * decodes the predefined entities and character references, and refuses a reference to a character
 * XML cannot hold or to an undeclared entity.
 */
export function parseDataContract(xml: string, contract: DataContractName): Record<string, unknown> {
  if (HOSTILE.test(xml)) throw notXml('XML with a DOCTYPE, entity declaration or processing instruction is not accepted');
  const root = parse(xml).root;
  if (!root) throw notXml('The request body must hold exactly one XML element');
  const [prefix, local] = splitName(root.name);
  if (local !== contract.root) throw notXml(`The XML request must be a <${contract.root}> element`);
  const members = toValue(root, 1);
  const namespace = typeof members === 'object' ? members[prefix ? `@xmlns:${prefix}` : '@xmlns'] : undefined;
  if (namespace !== contract.namespace) {
    throw notXml(
      `Expecting element '${contract.root}' from namespace '${contract.namespace}', not from namespace '${String(namespace ?? '')}'`,
    );
  }
  const dto: Record<string, unknown> = {};
  for (const [child, value] of Object.entries(members)) {
    if (child.startsWith('@') || child === '#text') continue;
    const read = readValue(value);
    if (read !== undefined) dto[splitName(child)[1]] = read;
  }
  return dto;
}

function parse(xml: string): XmlDocument {
  try {
    return parseXml(xml);
  } catch (error) {
    // The parser descends one call per element: a document nested thousands deep exhausts the stack
    // before the depth below is counted, and is refused all the same.
    if (error instanceof RangeError) throw notXml(`The request body nests XML elements deeper than ${MAX_DEPTH} levels`);
    if (error instanceof XmlError) {
      const why = error.message.replace(/ \(line \d+, column \d+\)[\s\S]*$/, '');
      if (/reference|entity/i.test(why)) throw notXml(`The XML reference at column ${error.column} is not accepted: ${why}`);
    }
    throw notXml('The request body is not well-formed XML');
  }
}

/**
 * An element as the DTO binding reads it: text only and no attributes is its text; otherwise its
 * attributes as `@name`, its child elements by name (an array where a name repeats) and its text,
 * if any, as `#text`.
 */
function toValue(element: XmlElement, depth: number): Value {
  if (depth > MAX_DEPTH) throw notXml(`The request body nests XML elements deeper than ${MAX_DEPTH} levels`);
  const members: Members = {};
  for (const [name, value] of Object.entries(element.attributes)) members[`@${checkedName(name)}`] = value;
  let text = '';
  for (const node of element.children) {
    if (node instanceof XmlText) text += node.text;
    if (!(node instanceof XmlElement)) continue;
    const name = checkedName(node.name);
    const value = toValue(node, depth + 1);
    const previous = Object.hasOwn(members, name) ? members[name] : undefined;
    members[name] = previous === undefined ? value : Array.isArray(previous) ? [...previous, value] : [previous, value];
  }
  if (Object.keys(members).length === 0) return text;
  if (text !== '') members['#text'] = text;
  return members;
}

function checkedName(name: string): string {
  if (RESERVED.has(splitName(name)[1])) throw notXml(`The XML name '${name}' is not accepted`);
  return name;
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

function readValue(value: Value | Value[]): unknown {
  if (Array.isArray(value)) return value.map(readValue);
  if (typeof value !== 'object') return value;
  if (Object.entries(value).some(([key, flag]) => isNilAttribute(key) && flag === 'true')) return undefined;
  const children = Object.keys(value).filter((key) => !key.startsWith('@') && key !== '#text');
  if (children.length === 0) return value['#text'] ?? '';
  return value;
}
