import { apiMemberArgs, joinMembers, operationOf, quoted, routeArgs, type CodeContext, type Language } from './language.js';
import { snake, type NativeProperty, type NativeType, type TypeRef } from './model.js';

const pyType = (ref: TypeRef): string => {
  switch (ref.kind) {
    case 'String':
      return 'str';
    case 'Boolean':
      return 'bool';
    case 'Int32':
      return 'int';
    case 'Double':
      return 'float';
    case 'ref':
      return ref.name;
    case 'list':
      return `List[${pyType(ref.of)}]`;
  }
};

/** Value types default to their zero, as .NET's do (the seed: `is_unread: bool = False`); the rest to None. */
const VALUE_DEFAULTS: Partial<Record<TypeRef['kind'], string>> = { Boolean: 'False', Int32: '0', Double: '0.0' };

function property(prop: NativeProperty, context: CodeContext): string {
  const zero = prop.nullable ? undefined : VALUE_DEFAULTS[prop.type.kind];
  const lines: string[] = [];
  if (prop.description || prop.required) lines.push(`# @ApiMember(${apiMemberArgs(prop)})`);
  lines.push(zero ? `${snake(prop.name)}: ${pyType(prop.type)} = ${zero}` : `${snake(prop.name)}: Optional[${pyType(prop.type)}] = None`);
  if (prop.description && context.options.flag('AddDescriptionAsComments')) lines.push('"""', quoted(prop.description), '"""');
  return lines.map((line) => `    ${line}`).join('\n');
}

const DATACLASS = '@dataclass_json(letter_case=LetterCase.CAMEL, undefined=Undefined.EXCLUDE)\n@dataclass';

function declaration(type: NativeType, context: CodeContext): string {
  if (type.enumValues) return `class ${type.name}(str, Enum):\n${type.enumValues.map((v) => `    ${v.toUpperCase()} = '${v}'`).join('\n')}`;
  const op = operationOf(type, context);
  const head = [
    ...(op ? op.declared.map((route) => `# @Route(${routeArgs(route)})`) : []),
    DATACLASS,
    `class ${type.name}${op ? `(IReturn[${op.response}])` : ''}:`,
  ];
  const doc =
    type.description && context.options.flag('AddDescriptionAsComments') ? [`    """\n    ${quoted(type.description)}\n    """`] : [];
  const members = type.properties.length ? type.properties.map((p) => property(p, context)) : ['    pass'];
  return `${head.join('\n')}\n${joinMembers([...doc, ...members])}`;
}

/** `module:name/name` entries of DefaultImports, as ServiceStack writes them. */
const importLine = (entry: string): string => {
  const [module, names] = entry.split(':');
  return names ? `from ${module} import ${names.split('/').join(', ')}` : `import ${module}`;
};

export const python: Language = {
  id: 'python',
  label: 'Python',
  linkName: 'Python',
  contentType: 'text/plain; charset=utf-8',
  style: { open: '"""', close: '"""', line: '', commented: '#', listSeparator: ',' },
  defaults: {
    GlobalNamespace: null,
    AddServiceStackTypes: true,
    AddResponseStatus: false,
    AddImplicitVersion: null,
    AddDescriptionAsComments: true,
    IncludeTypes: [],
    ExcludeTypes: [],
    DefaultImports: [
      'datetime',
      'decimal',
      'marshmallow.fields:*',
      'servicestack:*',
      'typing:*',
      'dataclasses:dataclass/field',
      'dataclasses_json:dataclass_json/LetterCase/Undefined/config',
      'enum:Enum/IntEnum',
    ],
    DataClass: null,
    DataClassJson: null,
  },
  code(types, context) {
    const imports = (context.options.list('DefaultImports') ?? []).map(importLine).join('\n');
    return `${imports}\n\n\n${types.map((t) => declaration(t, context)).join('\n\n\n')}\n`;
  },
};
