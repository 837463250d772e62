import { XSI } from '../servicestack/xml-write.js';
import { allNativeTypes, pascal, type NativeType, type TypeRef } from './native/model.js';

/** ServiceStack's sample values: the type's name for text, zero, false, the first enum member. */
function sample(ref: TypeRef, types: Map<string, NativeType>): unknown {
  switch (ref.kind) {
    case 'String':
      return 'String';
    case 'Boolean':
      return false;
    case 'Int32':
    case 'Double':
      return 0;
    case 'list':
      return [sample(ref.of, types)];
    case 'ref': {
      const type = types.get(ref.name)!;
      return type.enumValues ? type.enumValues[0] : sampleObject(type, types);
    }
  }
}

const sampleObject = (type: NativeType, types: Map<string, NativeType>): Record<string, unknown> =>
  Object.fromEntries(type.properties.map((p) => [p.name, sample(p.type, types)]));

const byName = () => new Map(allNativeTypes().map((t) => [t.name, t]));

export const sampleJson = (typeName: string): string => {
  const types = byName();
  return JSON.stringify(sampleObject(types.get(typeName)!, types));
};

/** DataContract XML as .NET writes it, indented: members in alphabetical order, list items named by their type. */
export function sampleXml(typeName: string): string {
  const types = byName();
  const type = types.get(typeName)!;
  const element = (name: string, ref: TypeRef, depth: number): string => {
    const pad = '  '.repeat(depth);
    if (ref.kind === 'list')
      return `${pad}<${name}>\n${element(ref.of.kind === 'ref' ? ref.of.name : ref.of.kind.toLowerCase(), ref.of, depth + 1)}\n${pad}</${name}>`;
    const target = ref.kind === 'ref' ? types.get(ref.name)! : undefined;
    if (target && !target.enumValues) return `${pad}<${name}>\n${members(target, depth + 1)}\n${pad}</${name}>`;
    return `${pad}<${name}>${String(sample(ref, types))}</${name}>`;
  };
  const members = (of: NativeType, depth: number) =>
    [...of.properties]
      .sort((a, b) => (pascal(a.name) < pascal(b.name) ? -1 : 1))
      .map((p) => element(pascal(p.name), p.type, depth))
      .join('\n');
  const namespace = `http://schemas.datacontract.org/2004/07/${type.namespace}`;
  return `<${type.name} xmlns:i="${XSI}" xmlns="${namespace}">\n${members(type, 1)}\n</${type.name}>`;
}
