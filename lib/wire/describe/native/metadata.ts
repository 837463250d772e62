import type { NativeProperty, NativeType, TypeRef } from './model.js';
import { pascal } from './model.js';

/** .NET's names for our property types, as ServiceStack's MetadataTypes carries them. */
function clrType(ref: TypeRef): { type: string; namespace: string; genericArgs?: string[]; isValueType?: true; isEnum?: true } {
  switch (ref.kind) {
    case 'String':
      return { type: 'String', namespace: 'System' };
    case 'Boolean':
    case 'Int32':
    case 'Double':
      return { type: ref.kind, namespace: 'System', isValueType: true };
    case 'ref':
      return { type: ref.name, namespace: '', ...(ref.isEnum ? { isValueType: true as const, isEnum: true as const } : {}) };
    case 'list':
      return { type: 'List`1', namespace: 'System.Collections.Generic', genericArgs: [clrType(ref.of).type] };
  }
}

const metadataProperty = (prop: NativeProperty, namespaceOf: (name: string) => string) => {
  const clr = clrType(prop.type);
  return {
    name: pascal(prop.name),
    ...clr,
    namespace: clr.namespace || namespaceOf(clr.type),
    isRequired: prop.required,
    ...(prop.description
      ? {
          description: prop.description,
          attributes: [{ name: 'ApiMember', args: [{ name: 'Description', type: 'String', value: prop.description }] }],
        }
      : {}),
  };
};

/**
 * `/types/metadata`: ServiceStack's MetadataTypes (camelCase, absent values omitted). Request and
 * response types live in `operations`; `types` holds the types they reference, as ServiceStack does.
 */
export function metadataTypes(types: NativeType[], baseUrl: string) {
  const byName = new Map(types.map((t) => [t.name, t]));
  const namespaceOf = (name: string) => byName.get(name)?.namespace ?? '';
  const metadataType = (type: NativeType) => ({
    name: type.name,
    namespace: type.namespace,
    ...(type.description ? { description: type.description } : {}),
    ...(type.enumValues
      ? { isEnum: true, enumNames: type.enumValues }
      : { properties: type.properties.map((p) => metadataProperty(p, namespaceOf)) }),
  });
  const requests = types.filter((t) => t.operation);
  const inOperations = new Set(requests.flatMap((t) => [t.name, t.operation!.response]));
  return {
    config: {
      baseUrl,
      addServiceStackTypes: true,
      addDescriptionAsComments: true,
      addDefaultXmlNamespace: 'http://schemas.servicestack.net/types',
    },
    namespaces: [...new Set(['System', ...types.map((t) => t.namespace)])],
    types: types.filter((t) => !inOperations.has(t.name)).map(metadataType),
    operations: requests.map((request) => {
      const op = request.operation!;
      const response = byName.get(op.response);
      return {
        request: metadataType(request),
        ...(response ? { response: metadataType(response) } : {}),
        actions: op.declared.some((route) => !route.verbs) ? ['ANY'] : [op.method],
        method: op.method,
        returnType: { name: op.response, namespace: namespaceOf(op.response) },
        routes: op.declared.map((route) => ({ path: route.path, ...(route.verbs ? { verbs: route.verbs } : {}) })),
        requiresAuth: true,
        requiredRoles: [...op.roles],
      };
    }),
  };
}
