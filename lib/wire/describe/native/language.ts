import type { DeclaredRoute, Operation } from '../../operations.js';
import type { NativeProperty, NativeType } from './model.js';
import type { HeaderStyle, OptionDefault, Options } from './options.js';

/** What a language generator writes the types with. */
export interface CodeContext {
  options: Options;
  /**
   * The metadata pages' code: the types only, without routes, return markers or client methods
   * (ServiceStack's pages show it so; /types/{lang} has them).
   */
  bare: boolean;
}

export interface Language {
  /** The `/types/{id}` and `&lang={id}` name. */
  id: string;
  label: string;
  /** Its key in ServiceStack's `/types` map of links. */
  linkName: string;
  contentType: string;
  style: HeaderStyle;
  /** The options of its header, in order, with ServiceStack's defaults. */
  defaults: Record<string, OptionDefault>;
  code(types: NativeType[], context: CodeContext): string;
}

/** The operation of a request type, unless the context wants the types alone. */
export const operationOf = (type: NativeType, { bare }: CodeContext): Operation | undefined => (bare ? undefined : type.operation);

/** A route as ServiceStack's attribute arguments: `"/path", "POST"` or `"/path"`. */
export const routeArgs = ({ path, verbs }: DeclaredRoute): string => (verbs ? `"${path}", "${verbs}"` : `"${path}"`);

/** Text inside a double-quoted C-family string. */
export const quoted = (text: string): string => text.replace(/\\/g, '\\\\').replace(/"/g, '\\"');

export const indent = (text: string, by: string): string =>
  text
    .split('\n')
    .map((line) => (line === '' ? line : by + line))
    .join('\n');

/** ServiceStack's [ApiMember] arguments: the description and whether a request must carry the property. */
export const apiMemberArgs = (prop: NativeProperty, assign = '='): string =>
  [
    ...(prop.description ? [`Description${assign}"${quoted(prop.description)}"`] : []),
    ...(prop.required ? [`IsRequired${assign}true`] : []),
  ].join(', ');

/** Members one per line, with a blank line around any that takes several (comments, attributes). */
export const joinMembers = (members: string[]): string =>
  members
    .map((member, i) => (i === 0 ? member : `${member.includes('\n') || members[i - 1]!.includes('\n') ? '\n\n' : '\n'}${member}`))
    .join('');
