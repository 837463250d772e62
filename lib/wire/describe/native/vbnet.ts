import { apiMemberArgs, indent, operationOf, routeArgs, type CodeContext, type Language } from './language.js';
import { namespacesOf, pascal, type NativeProperty, type NativeType, type TypeRef } from './model.js';

const vbType = (ref: TypeRef): string => {
  switch (ref.kind) {
    case 'String':
      return 'String';
    case 'Boolean':
      return 'Boolean';
    case 'Int32':
      return 'Integer';
    case 'Double':
      return 'Double';
    case 'ref':
      return ref.name;
    case 'list':
      return `List(Of ${vbType(ref.of)})`;
  }
};

/** VB.NET keywords a property may be named after: they are escaped in brackets, as `[Date]` in the seed. */
const KEYWORDS = new Set([
  'date',
  'string',
  'integer',
  'boolean',
  'object',
  'double',
  'single',
  'error',
  'end',
  'next',
  'property',
  'class',
  'module',
  'type',
  'step',
  'to',
]);
const vbName = (name: string): string => (KEYWORDS.has(name.toLowerCase()) ? `[${pascal(name)}]` : pascal(name));

const IMPORTS = [
  'System',
  'System.IO',
  'System.Collections',
  'System.Collections.Generic',
  'System.Runtime.Serialization',
  'ServiceStack',
  'ServiceStack.DataAnnotations',
];

function property(prop: NativeProperty, context: CodeContext): string {
  const { options } = context;
  const lines: string[] = [];
  if (prop.description && options.flag('AddDescriptionAsComments')) lines.push("'''<Summary>", `'''${prop.description}`, "'''</Summary>");
  if (prop.description || prop.required) lines.push(`<ApiMember(${apiMemberArgs(prop, ':=')})>`);
  lines.push(
    `Public ${options.flag('MakeVirtual') ? 'Overridable ' : ''}Property ${vbName(prop.name)} As ${prop.nullable ? `Nullable(Of ${vbType(prop.type)})` : vbType(prop.type)}`,
  );
  return lines.join('\n');
}

function declaration(type: NativeType, context: CodeContext): string {
  const { options } = context;
  if (type.enumValues) return `Public Enum ${type.name}\n${type.enumValues.map((v) => `    ${v}\n`).join('')}End Enum`;
  const op = operationOf(type, context);
  return [
    ...(type.description && options.flag('AddDescriptionAsComments') ? ["'''<Summary>", `'''${type.description}`, "'''</Summary>"] : []),
    ...(op ? op.declared.map((route) => `<Route(${routeArgs(route)})>`) : []),
    `Public ${options.flag('MakePartial') ? 'Partial ' : ''}Class ${type.name}`,
    ...(op && options.flag('AddReturnMarker') ? [`    Implements IReturn(Of ${op.response})`] : []),
    ...type.properties.map((p) => indent(property(p, context), '    ')),
    'End Class',
  ].join('\n');
}

const namespaceBlock = (name: string, types: NativeType[], context: CodeContext): string =>
  `Namespace ${name}\n\n${indent(types.map((t) => declaration(t, context)).join('\n\n'), '    ')}\nEnd Namespace`;

export const vbnet: Language = {
  id: 'vbnet',
  label: 'VB.NET',
  linkName: 'VbNet',
  contentType: 'text/plain; charset=utf-8',
  // The CLI strips one `'` from each line and stops at the first blank one: the header ends with one.
  style: { open: "'", close: undefined, line: "'", commented: "''", listSeparator: ', ' },
  defaults: {
    GlobalNamespace: null,
    MakePartial: true,
    MakeVirtual: true,
    MakeDataContractsExtensible: false,
    AddReturnMarker: true,
    AddDescriptionAsComments: true,
    AddDataContractAttributes: false,
    AddIndexesToDataMembers: false,
    AddGeneratedCodeAttributes: false,
    AddResponseStatus: false,
    AddImplicitVersion: null,
    InitializeCollections: true,
    ExportValueTypes: false,
    IncludeTypes: [],
    ExcludeTypes: [],
    AddNamespaces: [],
    AddDefaultXmlNamespace: 'http://schemas.servicestack.net/types',
  },
  code(types, context) {
    const global = context.options.text('GlobalNamespace');
    const namespaces = global ? [] : namespacesOf(types);
    const imports = [...IMPORTS, ...namespaces, ...(context.options.list('AddNamespaces') ?? [])].map((ns) => `Imports ${ns}`).join('\n');
    const inner = global
      ? types.map((t) => declaration(t, context)).join('\n\n')
      : namespaces
          .map((ns) =>
            namespaceBlock(
              ns,
              types.filter((t) => t.namespace === ns),
              context,
            ),
          )
          .join('\n\n');
    return `${imports}\n\nNamespace ${global ?? 'Global'}\n\n${indent(inner, '    ')}\nEnd Namespace\n`;
  },
};
