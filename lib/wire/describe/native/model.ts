import { SERVICESTACK_NAMESPACES, SERVICESTACK_OPERATIONS, type Operation } from '../../operations.js';
import { refName, schemaOf, type JsonSchema } from '../schemas.js';

/** A property's type, in .NET's terms (ServiceStack's metadata names them so). */
export type TypeRef =
  { kind: 'String' | 'Boolean' | 'Int32' | 'Double' } | { kind: 'ref'; name: string; isEnum: boolean } | { kind: 'list'; of: TypeRef };

export type ParamType = 'path' | 'query' | 'body' | 'form';

export interface NativeProperty {
  /** camelCase, as on the wire. */
  name: string;
  type: TypeRef;
  /** Only request properties are required (or not); a response's are all set. */
  required: boolean;
  /** A value type a request may leave out (C# `int?`). */
  nullable: boolean;
  description?: string;
  paramType: ParamType;
}

/** A DTO or enum of the ServiceStack family, as every language generator and the metadata pages see it. */
export interface NativeType {
  name: string;
  namespace: string;
  description?: string;
  enumValues?: string[];
  properties: NativeProperty[];
  /** Set on an operation's request type. */
  operation?: Operation;
}

const VALUE_TYPES = new Set<TypeRef['kind']>(['Boolean', 'Int32', 'Double']);

function typeRef(schema: JsonSchema): TypeRef {
  if (schema.$ref) {
    const name = refName(schema.$ref);
    return { kind: 'ref', name, isEnum: schemaOf(name).enum !== undefined };
  }
  const nonNull = schema.anyOf?.find((option) => option.type !== 'null');
  if (nonNull) return typeRef(nonNull);
  if (schema.type === 'array' && schema.items) return { kind: 'list', of: typeRef(schema.items) };
  if (schema.type === 'integer') return { kind: 'Int32' };
  if (schema.type === 'number') return { kind: 'Double' };
  if (schema.type === 'boolean') return { kind: 'Boolean' };
  return { kind: 'String' };
}

const pathParameters = (op: Operation): Set<string> =>
  new Set(op.declared.flatMap((route) => [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!.toLowerCase())));

function paramType(name: string, op: Operation | undefined): ParamType {
  if (!op) return 'form';
  if (pathParameters(op).has(name.toLowerCase())) return 'path';
  return op.method === 'GET' ? 'query' : 'body';
}

function nativeType(name: string, op?: Operation): NativeType {
  const schema = schemaOf(name);
  const namespace = SERVICESTACK_NAMESPACES[name];
  if (!namespace) throw new Error(`No ServiceStack namespace for '${name}'`);
  const base = { name, namespace, ...(schema.description ? { description: schema.description } : {}), ...(op ? { operation: op } : {}) };
  if (schema.enum) return { ...base, enumValues: schema.enum, properties: [] };
  const required = new Set(schema.required ?? []);
  const properties = Object.entries(schema.properties ?? {}).map(([prop, propSchema]): NativeProperty => {
    const type = typeRef(propSchema);
    const optionalInRequest = op !== undefined && !required.has(prop);
    return {
      name: prop,
      type,
      required: op !== undefined && required.has(prop),
      nullable: optionalInRequest && VALUE_TYPES.has(type.kind),
      ...(propSchema.description ? { description: propSchema.description } : {}),
      paramType: paramType(prop, op),
    };
  });
  return { ...base, properties };
}

/** The types a type refers to, directly. */
export function references(type: NativeType): string[] {
  const named = (ref: TypeRef): string[] => (ref.kind === 'ref' ? [ref.name] : ref.kind === 'list' ? named(ref.of) : []);
  const refs = type.properties.flatMap((p) => named(p.type));
  return type.operation ? [...refs, type.operation.response] : refs;
}

let cached: NativeType[] | undefined;

/** Every type of the ServiceStack operations (requests, responses and what they reference), by namespace then name. */
export function allNativeTypes(): NativeType[] {
  if (cached) return cached;
  const types = new Map<string, NativeType>();
  const visit = (name: string, op?: Operation) => {
    if (types.has(name)) return;
    const type = nativeType(name, op);
    types.set(name, type);
    references(type).forEach((ref) => visit(ref));
  };
  SERVICESTACK_OPERATIONS.forEach((op) => visit(op.request, op));
  cached = [...types.values()].sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name));
  return cached;
}

/**
 * ServiceStack's IncludeTypes and ExcludeTypes: `Name` is that type, `Name.*` the type, its response
 * and every type they reference.
 */
export function selectTypes(types: NativeType[], include: string[] | undefined, exclude: string[] | undefined): NativeType[] {
  const byName = new Map(types.map((t) => [t.name, t]));
  let selected = new Set(types.map((t) => t.name));
  if (include?.length) {
    selected = new Set();
    const closure = (name: string) => {
      const type = byName.get(name);
      if (!type || selected.has(name)) return;
      selected.add(name);
      references(type).forEach(closure);
    };
    for (const entry of include) {
      if (entry.endsWith('.*')) closure(entry.slice(0, -2));
      else if (byName.has(entry)) selected.add(entry);
    }
  }
  for (const name of exclude ?? []) selected.delete(name);
  return types.filter((t) => selected.has(t.name));
}

export const pascal = (name: string): string => name.charAt(0).toUpperCase() + name.slice(1);
export const snake = (name: string): string => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** The namespaces of some types, in order, without repeats. */
export const namespacesOf = (types: NativeType[]): string[] => [...new Set(types.map((t) => t.namespace))];
