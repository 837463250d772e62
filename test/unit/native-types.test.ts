import { describe, expect, it } from 'vitest';
import { language, LANGUAGES, nativeTypesCode } from '../../lib/wire/describe/native/index.js';
import { metadataTypes } from '../../lib/wire/describe/native/metadata.js';
import { allNativeTypes } from '../../lib/wire/describe/native/model.js';

const info = { baseUrl: 'https://api.example.com/prod', date: new Date(0) };
const code = (lang: string, query: Record<string, string> = {}) => nativeTypesCode(language(lang)!, query, info);

/** The uncommented `Key: Value` lines after BaseUrl, as @servicestack/cli reads them back. */
function readBack(text: string, vb = false): Record<string, string> {
  const options: Record<string, string> = {};
  let baseUrl: string | undefined;
  for (let line of text.slice(text.indexOf('Options:')).split(/\r?\n/)) {
    if (line.startsWith('*/') || line.startsWith('"""')) break;
    if (vb) {
      if (line.trim().length === 0) break;
      if (line[0] === "'") line = line.slice(1);
    }
    if (line.startsWith('BaseUrl: ')) baseUrl = line.slice(9);
    else if (baseUrl && !line.startsWith('//') && !line.startsWith("'") && !line.startsWith('#')) {
      const [key, value] = line.split(/:(.*)/s);
      if (value !== undefined) options[key!.trim()] = value.trim();
    }
  }
  return { BaseUrl: baseUrl ?? '', ...options };
}

describe('/types/{lang} options header', () => {
  it.each(LANGUAGES.map((l) => l.id))('%s: every option commented until the request gives it', (lang) => {
    const text = code(lang);
    expect(text).toContain('Options:');
    expect(readBack(text, lang === 'vbnet')).toEqual({ BaseUrl: 'https://api.example.com/prod' });
  });

  it.each([
    [
      'typescript',
      { IncludeTypes: 'SendMessage.*', MakePropertiesOptional: 'False', AddServiceStackTypes: 'False', GlobalNamespace: 'Evo' },
    ],
    ['csharp', { IncludeTypes: 'SendMessage.*', ExcludeTypes: 'MessageDirections', GlobalNamespace: 'Evo', MakePartial: 'False' }],
    ['vbnet', { IncludeTypes: 'SendMessage.*', MakePartial: 'False', GlobalNamespace: 'Evo' }],
    ['python', { IncludeTypes: 'SendMessage.*', AddDescriptionAsComments: 'False' }],
    ['js', { ExcludeTypes: 'ListSessionMessages,MessageList' }],
    ['mjs', { IncludeTypes: 'MessageInfo' }],
  ])('%s: an option given comes back uncommented, exactly as the CLI sends it again', (lang, query) => {
    expect(readBack(code(lang, query), lang === 'vbnet')).toEqual({ BaseUrl: 'https://api.example.com/prod', ...query });
  });

  it('matches option names case-insensitively and ignores empty values, as ServiceStack binds them', () => {
    const text = code('typescript', { includetypes: 'MessageInfo', ExcludeTypes: '' });
    expect(text).toContain('\nIncludeTypes: MessageInfo\n');
    expect(text).toContain('\n//ExcludeTypes: \n');
  });

  it('VB.NET: the header is all comment lines ending with a blank line; lists are joined with ", "', () => {
    const text = code('vbnet', { IncludeTypes: 'SendMessage.*,MessageInfo' });
    const head = text.slice(0, text.indexOf('\n\n'));
    expect(head.split('\n').every((line) => line.startsWith("'"))).toBe(true);
    expect(head).toContain("\n'IncludeTypes: SendMessage.*, MessageInfo");
    expect(head).toContain("\n'''MakePartial: True");
  });

  it('WithoutOptions leaves the header out', () => {
    expect(code('typescript', { WithoutOptions: 'true' })).not.toContain('Options:');
  });
});

describe('/types/{lang} options take effect', () => {
  it('IncludeTypes: Name.* is the type, its response and what they reference; Name alone is the type', () => {
    const text = code('typescript', { IncludeTypes: 'SendMessage.*' });
    expect(text).toMatch(/export class SendMessage implements IReturn<MessageInfo>/);
    expect(text).toContain('export class MessageInfo');
    expect(text).toContain('export enum MessageDirections');
    expect(text).not.toContain('ListSessionMessages');
    const alone = code('typescript', { IncludeTypes: 'MessageInfo' });
    expect(alone).toContain('export class MessageInfo');
    expect(alone).not.toContain('export enum MessageDirections');
  });

  it('ExcludeTypes leaves types out', () => {
    expect(code('csharp', { ExcludeTypes: 'ListSessionMessages' })).not.toContain('class ListSessionMessages');
  });

  it('MakePropertiesOptional=False declares required request properties as set', () => {
    expect(code('typescript')).toContain('public body?: string;');
    expect(code('typescript', { MakePropertiesOptional: 'False' })).toContain('public body!: string;');
  });

  it('AddServiceStackTypes=False imports IReturn from @servicestack/client instead of declaring it', () => {
    const text = code('typescript', { AddServiceStackTypes: 'False' });
    expect(text).not.toContain('export interface IReturn<T>');
    expect(text).toContain("import type { IReturn } from '@servicestack/client';");
  });

  it('GlobalNamespace wraps every type in that one namespace', () => {
    expect(code('typescript', { GlobalNamespace: 'Evo' })).toMatch(/export namespace Evo\n\{\n {4}export interface IReturn<T>/);
    const cs = code('csharp', { GlobalNamespace: 'Evo' });
    expect(cs).toContain('namespace Evo\n{');
    expect(cs).not.toContain('namespace Voice.Api.Sessions');
    expect(code('vbnet', { GlobalNamespace: 'Evo' })).toContain('Namespace Evo\n');
  });

  it('C# MakePartial/MakeVirtual/AddReturnMarker switch off', () => {
    const cs = code('csharp', { MakePartial: 'False', MakeVirtual: 'False', AddReturnMarker: 'False' });
    expect(cs).toContain('public class SendMessage\n');
    expect(cs).toContain('public string Body { get; set; }');
    expect(cs).not.toContain('IReturn<');
  });
});

describe('the DTOs, as Add ServiceStack Reference writes them', () => {
  it('TypeScript: routes as comments, IReturn, getTypeName, getMethod, createResponse, descriptions from the schema', () => {
    const text = code('typescript');
    expect(text).toContain(
      '// @Route("/sessions/{sessionId}/messages", "POST")\n// @Route("/messages")\nexport class SendMessage implements IReturn<MessageInfo>',
    );
    expect(text).toContain("public getTypeName() { return 'SendMessage'; }");
    expect(text).toContain("public getMethod() { return 'POST'; }");
    expect(text).toContain('public createResponse() { return new MessageInfo(); }');
    expect(text).toContain("public getMethod() { return 'GET'; }");
    expect(text).toContain('* The ID of the session you want to post a message to. Specify either this or EndpointId+ToAddress');
  });

  it('C# and VB.NET: Route attributes and the seeds namespaces', () => {
    expect(code('csharp')).toContain(
      '[Route("/sessions/{sessionId}/messages", "POST")]\n    [Route("/messages")]\n    public partial class SendMessage\n        : IReturn<MessageInfo>',
    );
    const vb = code('vbnet');
    expect(vb).toContain('<Route("/messages")>');
    expect(vb).toContain('Implements IReturn(Of MessageInfo)');
    expect(vb).toContain('Public Overridable Property [Date] As String');
    expect(vb).toContain('Namespace Voice.Api.Sessions');
  });

  it('Python: dataclasses with snake_case fields and IReturn', () => {
    const py = code('python');
    expect(py).toContain('class SendMessage(IReturn[MessageInfo]):');
    expect(py).toContain('    session_id: Optional[str] = None');
    expect(py).toContain('    is_unread: bool = False');
    expect(py).toContain("    INCOMING = 'Incoming'");
  });

  it('JavaScript: CommonJS and ES modules with the client methods', () => {
    expect(code('js')).toContain("SendMessage.prototype.getMethod = function () { return 'POST'; };");
    expect(code('mjs')).toContain("getTypeName() { return 'SendMessage' }");
  });

  it('/types/metadata: operations with routes, roles and return types; referenced types apart', () => {
    const metadata = metadataTypes(allNativeTypes(), info.baseUrl);
    const send = metadata.operations.find((op) => op.request.name === 'SendMessage')!;
    expect(send).toMatchObject({
      method: 'POST',
      actions: ['ANY'],
      requiresAuth: true,
      requiredRoles: ['User'],
      returnType: { name: 'MessageInfo' },
    });
    expect(send.routes).toEqual([{ path: '/sessions/{sessionId}/messages', verbs: 'POST' }, { path: '/messages' }]);
    expect('properties' in send.request && send.request.properties).toContainEqual(
      expect.objectContaining({ name: 'Body', type: 'String', isRequired: true, description: 'The body of the message' }),
    );
    // Types that only operations reference (requests and responses are operations' own).
    expect(metadata.types.map((t) => t.name).sort()).toEqual(['DeliveryStatus', 'MessageDirections', 'StatusChange']);
  });
});

describe('the options are names, never code', () => {
  const refused = (lang: string, query: Record<string, string>, field: string) =>
    expect(() => code(lang, query)).toThrow(
      expect.objectContaining({ code: 'invalid', fields: [expect.objectContaining({ field, code: 'InvalidOption' })] }),
    );

  it.each([
    [
      'csharp',
      'GlobalNamespace',
      'Evil { public static class X { static X() { System.Diagnostics.Process.Start("calc"); } } } namespace Real',
    ],
    ['csharp', 'GlobalNamespace', 'x */ evil(); /*'],
    ['csharp', 'AddNamespaces', 'System;\nusing Foo'],
    ['vbnet', 'AddNamespaces', 'System\nImports Foo'],
    ['vbnet', 'GlobalNamespace', "Evo'"],
    ['typescript', 'GlobalNamespace', 'Evo {} eval("x"); namespace Y'],
    ['typescript', 'DefaultImports', 'x */ evil(); /*'],
    ['python', 'DefaultImports', 'os;os.system("x")'],
    ['python', 'DefaultImports', 'typing:*/x'],
    ['python', 'DataClass', 'init=False)\nimport os'],
    ['mjs', 'IncludeTypes', 'MessageInfo */ alert(1) /*'],
    ['csharp', 'AddDefaultXmlNamespace', 'http://x/"*/'],
    ['csharp', 'AddImplicitVersion', '1\n2'],
  ])('%s: %s with code in it is refused, naming the option', (lang, option, value) => refused(lang, { [option]: value }, option));

  it('names an option by its canonical name whatever case the query used', () =>
    refused('csharp', { globalnamespace: 'a b' }, 'GlobalNamespace'));

  it('accepts what the options are for', () => {
    expect(code('csharp', { GlobalNamespace: 'Acme.Evo', AddNamespaces: 'System.Text,Acme.Util', AddImplicitVersion: '2' })).toContain(
      'namespace Acme.Evo\n',
    );
    expect(code('python', { DefaultImports: 'datetime,typing:*,dataclasses:dataclass/field', DataClass: 'init=False' })).toContain(
      'from dataclasses import dataclass, field',
    );
    expect(code('typescript', { IncludeTypes: 'SendMessage.*,MessageInfo', DefaultImports: '@servicestack/client' })).toContain(
      'SendMessage',
    );
  });
});
