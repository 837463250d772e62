import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { JsonServiceClient } from '@servicestack/client';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { EXAMPLE_MESSAGE, messageInfoSchema } from '../../lib/wire/describe/contract.js';
import { api, ports } from '../support/stack.js';

const run = promisify(execFile);
const require = createRequire(import.meta.url);
const root = new URL('../..', import.meta.url).pathname;
const base = `http://127.0.0.1:${ports.http}`;

/** The CLI's telemetry call crashes it offline (reference §0.4); proxies would take its request elsewhere. */
const env: NodeJS.ProcessEnv = { ...process.env, SERVICESTACK_TELEMETRY_OPTOUT: '1', NO_PROXY: '127.0.0.1,localhost' };
for (const key of ['HTTP_PROXY', 'http_proxy', 'HTTPS_PROXY', 'https_proxy']) delete env[key];

/** Runs a bin of @servicestack/cli by its own file name: the CLI takes the language from it. */
const cli = (bin: string, args: string[], cwd: string) =>
  run(process.execPath, [require.resolve(`@servicestack/cli/bin/${bin}.js`), ...args], { cwd, env });

const workspaces: string[] = [];
const workspace = (name: string) => {
  workspaces.push(mkdtempSync(join(tmpdir(), `messaging-api-${name}-`)));
  return workspaces.at(-1)!;
};
afterAll(() => {
  for (const dir of workspaces) rmSync(dir, { recursive: true, force: true });
});

describe('@servicestack/cli against the stack', () => {
  it('typescript-ref writes dtos.ts; after uncommenting an option, updating sends it and keeps it', async () => {
    const cwd = workspace('tsref');
    const added = await cli('typescript-ref', [base, 'dtos.ts'], cwd);
    expect(added.stdout).toContain('Saved to: dtos.ts');
    const first = readFileSync(join(cwd, 'dtos.ts'), 'utf8');
    expect(first).toContain(`BaseUrl: ${base}\n`);
    expect(first).toContain('public body?: string;');

    writeFileSync(join(cwd, 'dtos.ts'), first.replace('//MakePropertiesOptional: True', 'MakePropertiesOptional: False'));
    const updated = await cli('typescript-ref', ['dtos.ts'], cwd);
    expect(updated.stdout).toContain('Updated: dtos.ts');
    const second = readFileSync(join(cwd, 'dtos.ts'), 'utf8');
    expect(second).toContain('\nMakePropertiesOptional: False\n');
    expect(second).toContain('public body!: string;');
  });

  it('csharp-ref: IncludeTypes uncommented narrows the DTOs and survives the update', async () => {
    const cwd = workspace('csref');
    expect((await cli('csharp-ref', [base, 'dtos.cs'], cwd)).stdout).toContain('Saved to: dtos.cs');
    const first = readFileSync(join(cwd, 'dtos.cs'), 'utf8');
    expect(first).toContain('public partial class ListSessionMessages');
    writeFileSync(join(cwd, 'dtos.cs'), first.replace('//IncludeTypes: ', 'IncludeTypes: SendMessage.*'));
    expect((await cli('csharp-ref', ['dtos.cs'], cwd)).stdout).toContain('Updated: dtos.cs');
    const second = readFileSync(join(cwd, 'dtos.cs'), 'utf8');
    expect(second).toContain('\nIncludeTypes: SendMessage.*\n');
    expect(second).toContain('    public partial class SendMessage\n        : IReturn<MessageInfo>');
    expect(second).not.toContain('ListSessionMessages');
  });

  it("vbnet-ref: an option uncommented with one ' is sent and kept", async () => {
    const cwd = workspace('vbref');
    expect((await cli('vbnet-ref', [base, 'dtos.vb'], cwd)).stdout).toContain('Saved to: dtos.vb');
    const first = readFileSync(join(cwd, 'dtos.vb'), 'utf8');
    expect(first).toContain('Public Partial Class SendMessage');
    writeFileSync(join(cwd, 'dtos.vb'), first.replace("'''MakePartial: True", "'MakePartial: False"));
    expect((await cli('vbnet-ref', ['dtos.vb'], cwd)).stdout).toContain('Updated: dtos.vb');
    const second = readFileSync(join(cwd, 'dtos.vb'), 'utf8');
    expect(second).toContain("\n'MakePartial: False\n");
    expect(second).toContain('Public Class SendMessage');
  });

  it('the generated dtos.ts compiles with tsc --strict, and JsonServiceClient sends and lists with it', async () => {
    const cwd = workspace('tsclient');
    await cli('typescript-ref', [base, 'dtos.ts'], cwd);
    symlinkSync(join(root, 'node_modules'), join(cwd, 'node_modules'));
    writeFileSync(join(cwd, 'package.json'), '{ "type": "module" }');
    writeFileSync(
      join(cwd, 'client.ts'),
      `import { JsonServiceClient } from '@servicestack/client';
import { MessageInfo, MessageList, SendMessage } from './dtos.js';

export async function sendAndList(baseUrl: string, text: string): Promise<{ sent: MessageInfo; listed: MessageList }> {
  const client = new JsonServiceClient(baseUrl);
  client.bearerToken = 'demo-user-key';
  const sent: MessageInfo = await client.post(new SendMessage({ sessionId: 'ses_demo', body: text }));
  const listed = await client.get<MessageList>('/sessions/ses_demo/messages', { limit: 5 });
  return { sent, listed };
}
`,
    );
    const tsc = join(root, 'node_modules/typescript/bin/tsc');
    await run(
      process.execPath,
      [
        tsc,
        '--strict',
        '--target',
        'es2022',
        '--module',
        'esnext',
        '--moduleResolution',
        'bundler',
        '--skipLibCheck',
        '--outDir',
        'out',
        'dtos.ts',
        'client.ts',
      ],
      { cwd },
    ).catch((error: { stdout: string }) => {
      throw new Error(`tsc --strict failed:\n${error.stdout}`);
    });

    const { sendAndList } = await import(pathToFileURL(join(cwd, 'out/client.js')).href);
    const text = `Sent with the generated DTOs ${Date.now()}`;
    const { sent, listed } = await sendAndList(base, text);
    expect(sent).toMatchObject({ text, direction: 'Outgoing', otherAddress: '+15556667777' });
    expect(listed.results?.[0]).toEqual(sent);
  });
});

describe('the other languages', () => {
  it('/types/mjs is an ES module JsonServiceClient sends with; /types/js is CommonJS; /types/python is valid Python', async () => {
    const cwd = workspace('mjs');
    writeFileSync(join(cwd, 'dtos.mjs'), (await api('/types/mjs', { key: null })).text);
    const { SendMessage } = await import(pathToFileURL(join(cwd, 'dtos.mjs')).href);
    const client = new JsonServiceClient(base);
    client.bearerToken = 'demo-user-key';
    const sent = await client.post(new SendMessage({ sessionId: 'ses_demo', body: 'Sent with the mjs DTOs' }));
    expect(sent).toMatchObject({ text: 'Sent with the mjs DTOs', direction: 'Outgoing' });

    writeFileSync(join(cwd, 'dtos.cjs'), (await api('/types/js', { key: null })).text);
    const commonJs = require(join(cwd, 'dtos.cjs'));
    expect(new commonJs.SendMessage({ body: 'x' }).getMethod()).toBe('POST');

    writeFileSync(join(cwd, 'dtos.py'), (await api('/types/python', { key: null })).text);
    await run('python3', ['-m', 'py_compile', 'dtos.py'], { cwd });
  });
});

describe('the describing routes', () => {
  it('need no key, and /types/metadata names operations, routes and roles', async () => {
    const response = await api('/types/metadata', { key: null });
    expect(response.status).toBe(200);
    expect(response.json.operations.map((op: { request: { name: string } }) => op.request.name)).toEqual(
      expect.arrayContaining(['ListSessionMessages', 'SendMessage']),
    );
    expect(response.json.config.baseUrl).toBe(base);
  });

  it('serve js as text/javascript and the others as text/plain, and refuse unknown languages', async () => {
    expect((await api('/types/js', { key: null })).headers.get('content-type')).toMatch(/^text\/javascript/);
    expect((await api('/types/python', { key: null })).headers.get('content-type')).toMatch(/^text\/plain/);
    expect((await api('/types/cobol', { key: null })).status).toBe(404);
  });

  it('refuse an option holding code with 400 naming it; /docs serves no inherited property', async () => {
    const evil = encodeURIComponent('Evil { static X() { System.Diagnostics.Process.Start("calc"); } } namespace Real');
    const refused = await api(`/types/csharp?GlobalNamespace=${evil}`, { key: null });
    expect(refused.status).toBe(400);
    expect(refused.json.responseStatus).toMatchObject({
      errorCode: 'InvalidOption',
      errors: [{ fieldName: 'GlobalNamespace', errorCode: 'InvalidOption' }],
    });
    expect(refused.text).not.toContain('Process.Start');
    for (const name of ['constructor', '__proto__', 'toString']) expect((await api(`/docs/${name}`, { key: null })).status).toBe(404);
  });

  it('/openapi.yaml is /openapi.json in YAML; its MessageInfo example has the shape of a real answer', async () => {
    const json = (await api('/openapi.json', { key: null })).json;
    const yaml = parse((await api('/openapi.yaml', { key: null })).text);
    expect(yaml).toEqual(json);
    expect(json.servers).toEqual([{ url: base }]);
    const real = await api('/sessions/ses_demo/messages', { body: { body: 'For the example' } });
    expect(real.status).toBe(200);
    expect(messageInfoSchema.parse(real.json)).toEqual(real.json);
    expect(Object.keys(real.json)).toEqual(Object.keys(EXAMPLE_MESSAGE));
  });

  it('the metadata pages: the index, an operation with its parameters, and its code in a language', async () => {
    const index = await api('/metadata', { key: null });
    expect(index.status).toBe(200);
    expect(index.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(index.text).toContain(`href="${base}/json/metadata?op=SendMessage"`);
    const op = await api('/xml/metadata?op=SendMessage', { key: null });
    expect(op.text).toContain('<caption>SendMessage Parameters:</caption>');
    expect(op.text).toContain('<th scope="row">SessionId</th><td>path</td><td>string</td><td>No</td>');
    expect(op.text).toContain('&lt;SendMessage xmlns:i=&quot;http://www.w3.org/2001/XMLSchema-instance&quot;');
    const code = await api('/json/metadata?op=SendMessage&lang=typescript', { key: null });
    expect(code.text).toContain('<code class="language-typescript">');
    expect(code.text).toContain('export class SendMessage\n{');
    expect((await api('/json/metadata?op=Nope', { key: null })).status).toBe(404);
  });

  it('say nothing about tenants, keys or the table', async () => {
    const pages = ['/types/metadata', '/types/csharp', '/metadata', '/json/metadata?op=SendMessage', '/openapi.json'];
    for (const path of pages) {
      const { text } = await api(path, { key: null });
      expect(text).not.toMatch(/demo-user-key|other-user-key|acct_other|messaging-api-dev|TABLE_NAME|amazonaws/);
    }
  });
});
