import { apiMemberArgs, indent, joinMembers, operationOf, routeArgs, type CodeContext, type Language } from './language.js';
import { namespacesOf, pascal, type NativeProperty, type NativeType, type TypeRef } from './model.js';

/** A type as C# names it (the metadata pages show these too). */
export const csType = (ref: TypeRef): string => {
  switch (ref.kind) {
    case 'String':
      return 'string';
    case 'Boolean':
      return 'bool';
    case 'Int32':
      return 'int';
    case 'Double':
      return 'double';
    case 'ref':
      return ref.name;
    case 'list':
      return `List<${csType(ref.of)}>`;
  }
};

const USINGS = [
  'System',
  'System.Collections',
  'System.Collections.Generic',
  'System.Runtime.Serialization',
  'ServiceStack',
  'ServiceStack.DataAnnotations',
];

function property(prop: NativeProperty, context: CodeContext): string {
  const { options } = context;
  const lines: string[] = [];
  if (prop.description && options.flag('AddDescriptionAsComments')) lines.push('///<summary>', `///${prop.description}`, '///</summary>');
  if (prop.description || prop.required) lines.push(`[ApiMember(${apiMemberArgs(prop)})]`);
  lines.push(
    `public ${options.flag('MakeVirtual') ? 'virtual ' : ''}${csType(prop.type)}${prop.nullable ? '?' : ''} ${pascal(prop.name)} { get; set; }`,
  );
  return lines.join('\n');
}

function declaration(type: NativeType, context: CodeContext): string {
  const { options } = context;
  const access = options.flag('MakeInternal') ? 'internal' : 'public';
  if (type.enumValues) return `${access} enum ${type.name}\n{\n${type.enumValues.map((v) => `    ${v},\n`).join('')}}`;
  const op = operationOf(type, context);
  const lists = type.properties.filter((p) => p.type.kind === 'list');
  const members = [
    ...(lists.length && options.flag('InitializeCollections')
      ? [`public ${type.name}()\n{\n${lists.map((p) => `    ${pascal(p.name)} = new ${csType(p.type)}{};\n`).join('')}}`]
      : []),
    ...type.properties.map((p) => property(p, context)),
  ];
  return [
    ...(type.description && options.flag('AddDescriptionAsComments') ? ['///<summary>', `///${type.description}`, '///</summary>'] : []),
    ...(op ? op.declared.map((route) => `[Route(${routeArgs(route)})]`) : []),
    `${access} ${options.flag('MakePartial') ? 'partial ' : ''}class ${type.name}`,
    ...(op && options.flag('AddReturnMarker') ? [`    : IReturn<${op.response}>`] : []),
    `{\n${indent(joinMembers(members), '    ')}\n}`,
  ].join('\n');
}

function namespaceBlock(name: string, types: NativeType[], context: CodeContext): string {
  return `namespace ${name}\n{\n${indent(types.map((t) => declaration(t, context)).join('\n\n'), '    ')}\n\n}`;
}

export const csharp: Language = {
  id: 'csharp',
  label: 'C#',
  linkName: 'CSharp',
  contentType: 'text/plain; charset=utf-8',
  style: { open: '/*', close: '*/', line: '', commented: '//', listSeparator: ',' },
  defaults: {
    GlobalNamespace: null,
    MakePartial: true,
    MakeVirtual: true,
    MakeInternal: false,
    MakeDataContractsExtensible: false,
    AddNullableAnnotations: false,
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
    const usings = [...USINGS, ...namespaces, ...(context.options.list('AddNamespaces') ?? [])].map((ns) => `using ${ns};`).join('\n');
    const blocks = global
      ? [namespaceBlock(global, types, context)]
      : namespaces.map((ns) =>
          namespaceBlock(
            ns,
            types.filter((t) => t.namespace === ns),
            context,
          ),
        );
    return `${usings}\n\n${blocks.join('\n\n')}\n`;
  },
};
