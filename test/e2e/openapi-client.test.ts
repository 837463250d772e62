import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, expect, it } from 'vitest';
import { ports } from '../support/stack.js';

const run = promisify(execFile);
const root = new URL('../..', import.meta.url).pathname;
const base = `http://127.0.0.1:${ports.http}`;

/** What an edna user does: generate types from /openapi.json, call with a typed client, compile it strictly. */
const CLIENT = `import createClient from 'openapi-fetch';
import type { paths } from './api.js';

export async function send(baseUrl: string, key: string) {
  const client = createClient<paths>({ baseUrl, headers: { Authorization: 'Bearer demo-integrator-token' } });
  const sent = await client.POST('/api/v1/messages/outgoing-to-device', {
    params: { header: { 'Idempotency-Key': key } },
    body: { text: 'Generated from openapi.json', clientApplicationDescriptor: { channelType: 'WHATSAPP', deviceAddress: '79001234567' } },
  });
  const refused = await client.POST('/api/v1/messages/outgoing-to-device', {
    body: { clientApplicationDescriptor: { channelType: 'WHATSAPP', deviceAddress: '79001234567' } },
  });
  const threadId: number | undefined = sent.data?.threadId;
  const field: string | undefined = refused.error?.errors?.[0]?.field;
  return { status: sent.response.status, data: sent.data, threadId, refusedStatus: refused.response.status, field };
}
`;

const cwd = mkdtempSync(join(tmpdir(), 'messaging-api-openapi-'));
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

it('an edna client generated from /openapi.json (openapi-typescript + openapi-fetch) compiles with tsc --strict and sends', async () => {
  symlinkSync(join(root, 'node_modules'), join(cwd, 'node_modules'));
  writeFileSync(join(cwd, 'package.json'), '{ "type": "module" }');
  await run(process.execPath, [join(root, 'node_modules/openapi-typescript/bin/cli.js'), `${base}/openapi.json`, '-o', 'api.d.ts'], {
    cwd,
  });
  writeFileSync(join(cwd, 'client.ts'), CLIENT);
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
      'client.ts',
    ],
    { cwd },
  ).catch((error: { stdout: string }) => {
    throw new Error(`tsc --strict failed:\n${error.stdout}`);
  });

  const { send } = await import(pathToFileURL(join(cwd, 'out/client.js')).href);
  const result = await send(base, `openapi-client-${Date.now()}`);
  expect(result.status).toBe(200);
  expect(result.data).toMatchObject({ id: expect.any(Number), threadId: expect.any(Number), agentId: 1001 });
  expect(result.refusedStatus).toBe(400);
  expect(result.field).toBe('text');
});
