import { operationOf, type CodeContext, type Language } from './language.js';
import type { NativeProperty, NativeType } from './model.js';
import { tsType } from './typescript.js';

const describes = (context: CodeContext) => context.options.flag('AddDescriptionAsComments');

/** ES module classes with JSDoc types, as ServiceStack's mjs generator (and the seed's js page) writes them. */
function mjsDeclaration(type: NativeType, context: CodeContext): string {
  if (type.enumValues) {
    const union = type.enumValues.map((v) => `'${v}'`).join('|');
    const members = type.enumValues.map((v) => `${type.name}["${v}"] = "${v}"`).join('\n');
    return `/** @typedef {${union}} */\nexport var ${type.name};\n(function (${type.name}) {\n${members}\n})(${type.name} || (${type.name} = {}));`;
  }
  const op = operationOf(type, context);
  const init = type.properties.map((p) => `${p.name}?:${tsType(p.type)}`).join(',');
  const field = (p: NativeProperty) =>
    p.description && describes(context)
      ? `/**\n* @type {${tsType(p.type)}}\n* @description ${p.description} */\n${p.name};`
      : `/** @type {${tsType(p.type)}} */\n${p.name};`;
  const methods = op
    ? [
        `getTypeName() { return '${type.name}' }`,
        `getMethod() { return '${op.method}' }`,
        `createResponse() { return new ${op.response}() }`,
      ]
    : [];
  return [
    `export class ${type.name} {`,
    `/** @param {{${init}}} [init] */`,
    'constructor(init) { Object.assign(this, init) }',
    ...type.properties.map(field),
    ...methods,
    '}',
  ].join('\n');
}

/** CommonJS, as ServiceStack's /types/js serves it for `<script>` and require(). */
function commonJsDeclaration(type: NativeType, context: CodeContext): string {
  const name = type.name;
  if (type.enumValues) {
    const members = type.enumValues.map((v) => `    ${name}["${v}"] = "${v}";`).join('\n');
    return `var ${name};\n(function (${name}) {\n${members}\n})(${name} = exports.${name} || (exports.${name} = {}));`;
  }
  const op = operationOf(type, context);
  const methods = op
    ? [
        `getTypeName = function () { return '${name}'; };`,
        `getMethod = function () { return '${op.method}'; };`,
        `createResponse = function () { return new ${op.response}(); };`,
      ].map((m) => `    ${name}.prototype.${m}\n`)
    : [];
  return `var ${name} = /** @class */ (function () {\n    function ${name}(init) {\n        Object.assign(this, init);\n    }\n${methods.join('')}    return ${name};\n}());\nexports.${name} = ${name};`;
}

const DEFAULTS = { AddServiceStackTypes: true, AddDescriptionAsComments: true, IncludeTypes: [], ExcludeTypes: [], DefaultImports: [] };
const C_STYLE = { open: '/*', close: '*/', line: '', commented: '//', listSeparator: ',' };

export const mjs: Language = {
  id: 'mjs',
  label: 'JavaScript (mjs)',
  linkName: 'Mjs',
  contentType: 'text/javascript; charset=utf-8',
  style: C_STYLE,
  defaults: DEFAULTS,
  code: (types, context) => `"use strict";\n${types.map((t) => mjsDeclaration(t, context)).join('\n')}\n`,
};

export const js: Language = {
  id: 'js',
  label: 'JavaScript',
  linkName: 'CommonJs',
  contentType: 'text/javascript; charset=utf-8',
  style: C_STYLE,
  defaults: DEFAULTS,
  code(types, context) {
    const names = types.map((t) => `exports.${t.name}`).join(' = ');
    const exportsLine = types.length ? `${names} = void 0;\n` : '';
    return `"use strict";\nObject.defineProperty(exports, "__esModule", { value: true });\n${exportsLine}${types.map((t) => commonJsDeclaration(t, context)).join('\n')}\n`;
  },
};
