import { apiMemberArgs, indent, joinMembers, operationOf, routeArgs, type CodeContext, type Language } from './language.js';
import type { NativeProperty, NativeType, TypeRef } from './model.js';

/** A type as TypeScript spells it; JSDoc (the js and mjs DTOs) spells it the same. */
export const tsType = (ref: TypeRef): string => {
  switch (ref.kind) {
    case 'String':
      return 'string';
    case 'Boolean':
      return 'boolean';
    case 'Int32':
    case 'Double':
      return 'number';
    case 'ref':
      return ref.name;
    case 'list':
      return `${tsType(ref.of)}[]`;
  }
};

function property(prop: NativeProperty, context: CodeContext): string {
  const lines: string[] = [];
  if (prop.description && context.options.flag('AddDescriptionAsComments')) {
    lines.push('/**', `* ${prop.description}`, '*/');
  }
  if (prop.description || prop.required) lines.push(`// @ApiMember(${apiMemberArgs(prop)})`);
  // A required property is declared as always set (`!`): the constructor's init sets it, and strict TypeScript accepts it.
  const optional = context.options.flag('MakePropertiesOptional') || !prop.required;
  lines.push(`public ${prop.name}${optional ? '?' : '!'}: ${tsType(prop.type)};`);
  return lines.join('\n');
}

function declaration(type: NativeType, context: CodeContext): string {
  if (type.enumValues) return `export enum ${type.name}\n{\n${type.enumValues.map((v) => `    ${v} = '${v}',\n`).join('')}}`;
  const op = operationOf(type, context);
  const head = [
    ...(type.description && context.options.flag('AddDescriptionAsComments') ? ['/**', `* ${type.description}`, '*/'] : []),
    ...(op ? op.declared.map((route) => `// @Route(${routeArgs(route)})`) : []),
    `export class ${type.name}${op ? ` implements IReturn<${op.response}>` : ''}`,
  ];
  const members = [
    ...type.properties.map((p) => property(p, context)),
    `public constructor(init?: Partial<${type.name}>) { (Object as any).assign(this, init); }`,
    ...(op
      ? [
          `public getTypeName() { return '${type.name}'; }`,
          `public getMethod() { return '${op.method}'; }`,
          `public createResponse() { return new ${op.response}(); }`,
        ]
      : []),
  ];
  return `${head.join('\n')}\n{\n${indent(joinMembers(members), '    ')}\n}`;
}

const SERVICESTACK_TYPES = `export interface IReturn<T>
{
    createResponse(): T;
}

export interface IReturnVoid
{
    createResponse(): void;
}`;

function body(types: NativeType[], context: CodeContext): string {
  const { options } = context;
  const needsReturn = types.some((t) => operationOf(t, context));
  const prelude = !needsReturn
    ? []
    : options.flag('AddServiceStackTypes')
      ? [SERVICESTACK_TYPES]
      : ["import type { IReturn } from '@servicestack/client';"];
  const code = [...prelude, ...types.map((t) => declaration(t, context))].join('\n\n');
  const namespace = options.text('GlobalNamespace');
  return namespace ? `export namespace ${namespace}\n{\n${indent(code, '    ')}\n}` : code;
}

export const typescript: Language = {
  id: 'typescript',
  label: 'TypeScript',
  linkName: 'TypeScript',
  contentType: 'text/plain; charset=utf-8',
  style: { open: '/*', close: '*/', line: '', commented: '//', listSeparator: ',' },
  defaults: {
    GlobalNamespace: null,
    // Our DTOs' properties are optional unless a user asks otherwise, as the seeds' generator wrote them.
    MakePropertiesOptional: true,
    AddServiceStackTypes: true,
    AddResponseStatus: false,
    AddImplicitVersion: null,
    AddDescriptionAsComments: true,
    IncludeTypes: [],
    ExcludeTypes: [],
    DefaultImports: [],
  },
  code: body,
};
