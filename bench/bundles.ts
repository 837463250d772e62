import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

interface ServerlessConfig {
  functions: Record<string, { handler: string }>;
  provider: { memorySize: number; architecture: string };
  resources: { Resources: { MessagesTable: { Properties: { GlobalSecondaryIndexes?: unknown[] } } } };
  custom: {
    esbuild: {
      target: string;
      format: 'esm';
      platform: 'node';
      minify: boolean;
      mainFields: string[];
      banner: { js: string };
      alias?: Record<string, string>;
    };
  };
}

export const root = new URL('..', import.meta.url).pathname;
export const serverlessConfig = (): ServerlessConfig => parse(readFileSync(join(root, 'serverless.yml'), 'utf8')) as ServerlessConfig;

/** Every function of serverless.yml, by name, with its entry file. */
export function functionEntries(): Record<string, string> {
  const entries: Record<string, string> = {};
  for (const [name, fn] of Object.entries(serverlessConfig().functions))
    entries[name] = join(root, `${fn.handler.replace(/\.[^.]+$/, '')}.ts`);
  return entries;
}

/**
 * Bundles an entry exactly as serverless.yml's custom.esbuild does; returns the file and its size.
 * The baselines (bench/*.ts) keep the SDK as it comes: serverless.yml's aliases, which trim the SDK
 * to what a Lambda runs, apply to the functions only.
 */
export async function bundle(entry: string, outfile: string, options: { readable?: boolean } = {}): Promise<number> {
  const { target, format, platform, minify, mainFields, banner, alias } = serverlessConfig().custom.esbuild;
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    target,
    format,
    platform,
    // Readable: not minified, so that esbuild's `// node_modules/...` comments name each module's code (bench/profile.ts).
    minify: minify && !options.readable,
    mainFields,
    banner,
    logLevel: 'error',
    ...(entry.startsWith(join(root, 'bench/')) ? {} : { alias }),
  });
  return readFileSync(outfile).length;
}
