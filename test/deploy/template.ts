import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';
import { LOCAL_AWS_ENV } from '../../scripts/stack.js';
import { resolve, type Template } from './resolve.js';

export type { Template };
export interface Packaged {
  template: Template;
  /** The files `serverless package` wrote: the template and one zip per function. */
  artifacts: string[];
}
export type Statement = {
  Sid?: string;
  Effect: string;
  Principal?: unknown;
  Action: string | string[];
  Resource: unknown;
  Condition?: any;
};

const root = fileURLToPath(new URL('../..', import.meta.url));
/** What packaging reads: a change to any of these packages afresh. */
const INPUTS = ['serverless.yml', 'package.json', 'package-lock.json', 'tsconfig.json', 'functions', 'lib', 'deploy'];

/** A stage name long enough that osls would hash generated rule names (over 64 characters). */
export const LONG_STAGE = 'a-thirty-character-stage-name1';
export const PRODUCERS = ['arn:aws:iam::123456789012:role/crm-producer', 'arn:aws:iam::210987654321:role/scheduler'];
/** Operators who may redrive the callback dead-letter queue into the callback queue. */
export const OPERATORS = ['arn:aws:iam::123456789012:role/ops-*'];
/** The event sources the configured stage's producers are bound with. */
export const EVENT_SOURCES = ['messaging-api', 'scheduler'];
/** Operations params of the configured stage (deploy/operations.cjs). */
export const OPERATIONS = {
  alarmEmail: 'oncall@example.com',
  httpRateLimit: 50,
  httpBurstLimit: 80,
  reservedConcurrency: { 'send-to-endpoint': 40, 'send-from-queue': 5 },
};

/**
 * The providers a production stage names: a deployed stage must name one for every channel (with no
 * deliveryProviders it does not package), and this one names no simulated carrier.
 */
export const PROD_PROVIDERS = 'SMS=aws-sms,*=log';
/** The configured stage asks for the simulated carrier by name: its /dev/carrier/* functions are packaged. */
export const CONFIGURED_PROVIDERS = 'SMS=aws-sms,*=simulated';

/** `serverless package --stage prod` with the default params but for PROD_PROVIDERS. */
export const prod = (): Packaged => packaged('prod', { deliveryProviders: PROD_PROVIDERS });
/** LONG_STAGE packaged with PRODUCERS, OPERATORS, EVENT_SOURCES, OPERATIONS and CONFIGURED_PROVIDERS as that stage's params. */
export const configured = (): Packaged =>
  packaged(LONG_STAGE, {
    producers: PRODUCERS,
    operators: OPERATORS,
    eventSources: EVENT_SOURCES,
    deliveryProviders: CONFIGURED_PROVIDERS,
    ...OPERATIONS,
  });

/**
 * What `serverless package` says when it refuses a stage (its params as given, `env` added to the
 * deployer's environment): the refusal comes before anything is built, so it is not cached.
 */
export function refusal(stage: string, params?: object, env: NodeJS.ProcessEnv = {}): string {
  const out = mkdtempSync(join(tmpdir(), 'messaging-api-refused-'));
  try {
    packageStage(stage, params, { ...deployEnv(), ...env }, out);
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: Buffer; stderr?: Buffer };
    return `${stdout ?? ''}${stderr ?? ''}`;
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
  throw new Error(`serverless package --stage ${stage} succeeded`);
}

/** The local stack's settings, which a deployed stage refuses (deploy/deployed-stage.cjs) or would take as its own. */
export const LOCAL_SETTINGS = [
  'DYNAMODB_ENDPOINT',
  'SQS_ENDPOINT',
  'SEND_DLQ_URL',
  'EVENT_DLQ_URL',
  'CALLBACK_QUEUE_URL',
  'CALLBACK_DLQ_URL',
  'CALLBACK_ALLOW_PRIVATE',
  'PUBLIC_BASE_URL',
  'CREDENTIAL_CACHE_SECONDS',
];

/** The environment without the local stack's settings. */
function deployEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...LOCAL_AWS_ENV };
  for (const name of LOCAL_SETTINGS) delete env[name];
  return env;
}

function hashInputs(hash: ReturnType<typeof createHash>, path: string): void {
  if (!existsSync(path)) return;
  if (statSync(path).isDirectory()) for (const entry of readdirSync(path).sort()) hashInputs(hash, join(path, entry));
  else hash.update(path).update(readFileSync(path));
}

/**
 * Packaging takes about 20 s, and every deploy test file reads the same two templates: each is packaged
 * once per test run and kept in a directory of the run. The run is the vitest process that forked the
 * test files (their parent); its directory is removed by the next run once that process is gone. The
 * key holds the inputs and the environment variables serverless.yml reads, so a template is never stale.
 */
function packaged(stage: string, params?: object): Packaged {
  const env = deployEnv();
  const config = readFileSync(join(root, 'serverless.yml'), 'utf8');
  const read = [...new Set([...config.matchAll(/\$\{env:(\w+)/g)].map((m) => m[1]!))].sort();
  const hash = createHash('sha256').update(JSON.stringify({ stage, params, env: read.map((name) => [name, env[name]]) }));
  for (const input of INPUTS) hashInputs(hash, join(root, input));
  const base = join(tmpdir(), 'messaging-api-deploy-tests');
  const run = join(base, String(process.ppid));
  const dir = join(run, hash.digest('hex').slice(0, 16));
  if (!existsSync(dir)) {
    mkdirSync(run, { recursive: true });
    removeFinishedRuns(base);
    const out = mkdtempSync(join(run, 'packaging-'));
    packageStage(stage, params, env, out);
    // Another file of the same run may have packaged it meanwhile: either copy is the same.
    if (existsSync(dir)) rmSync(out, { recursive: true, force: true });
    else renameSync(out, dir);
  }
  return {
    template: JSON.parse(readFileSync(join(dir, 'cloudformation-template-update-stack.json'), 'utf8')),
    artifacts: JSON.parse(readFileSync(join(dir, 'artifacts.json'), 'utf8')),
  };
}

function removeFinishedRuns(base: string): void {
  for (const pid of readdirSync(base)) {
    try {
      process.kill(Number(pid), 0);
    } catch {
      rmSync(join(base, pid), { recursive: true, force: true });
    }
  }
}

/**
 * `serverless package` with no network and dummy credentials, as a deploy would build it, writing the
 * template and the list of artifacts (not the zips) into `into`. It runs in a copy of the sources:
 * packaging rebuilds and removes .esbuild/, which the running serverless-offline of the e2e tests
 * loads its handlers from.
 */
function packageStage(stage: string, params: object | undefined, env: NodeJS.ProcessEnv, into: string): void {
  const work = mkdtempSync(join(tmpdir(), 'messaging-api-package-'));
  for (const entry of ['serverless.yml', 'package.json', 'tsconfig.json', 'functions', 'lib', 'deploy'])
    cpSync(join(root, entry), join(work, entry), { recursive: true });
  if (params) {
    const config = parse(readFileSync(join(work, 'serverless.yml'), 'utf8'));
    config.params[stage] = params;
    writeFileSync(join(work, 'serverless.yml'), stringify(config));
  }
  symlinkSync(join(root, 'node_modules'), join(work, 'node_modules'));
  const out = join(work, 'out');
  // serverless-esbuild 1.57 stages each zip in TMPDIR and never removes it (floydspace/serverless-esbuild#589): kept inside `work`.
  const tmp = join(work, 'tmp');
  mkdirSync(tmp);
  try {
    execFileSync(process.execPath, [join(root, 'node_modules/osls/bin/serverless.js'), 'package', '--stage', stage, '--package', out], {
      cwd: work,
      env: { ...env, TMPDIR: tmp },
      stdio: 'pipe',
    });
    cpSync(join(out, 'cloudformation-template-update-stack.json'), join(into, 'cloudformation-template-update-stack.json'));
    writeFileSync(join(into, 'artifacts.json'), JSON.stringify(readdirSync(out)));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** A template's resources of one type, as [logical id, resource]. */
export const resources = (t: Template, type: string) => Object.entries(t.Resources).filter(([, r]) => r.Type === type);

/** The statements of a function's role, intrinsics resolved (resolve.ts). */
export function roleStatements(t: Template, functionId: string): Statement[] {
  const role = t.Resources[t.Resources[functionId]!.Properties.Role['Fn::GetAtt'][0]]!;
  return resolve(
    t,
    role.Properties.Policies.flatMap((p: any) => p.PolicyDocument.Statement),
  );
}

/** The statements of a queue's policy, intrinsics resolved (undefined: the queue has none). */
export function queuePolicy(t: Template, queueId: string): Statement[] | undefined {
  const policy = Object.values(t.Resources).find((r) => r.Type === 'AWS::SQS::QueuePolicy' && r.Properties.Queues[0].Ref === queueId);
  return policy && resolve(t, policy.Properties.PolicyDocument).Statement;
}

/** A function's role as the policies name it (`<role logical id>.Arn`, resolve.ts's GetAtt). */
export const roleArnOf = (t: Template, functionId: string) => `${t.Resources[functionId]!.Properties.Role['Fn::GetAtt'][0]}.Arn`;

export const WRITES = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'];
/** What Lambda needs to read a table's stream (the plugin grants it on the stream's ARN): no item is read or written with these. */
const STREAM_READS = ['dynamodb:GetRecords', 'dynamodb:GetShardIterator', 'dynamodb:DescribeStream', 'dynamodb:ListStreams'];

/** Every function role's DynamoDB statements. */
export function dynamoStatements(t: Template): { fn: string; actions: string[]; leadingKeys: string[] | undefined }[] {
  return Object.values(t.Resources)
    .filter((r) => r.Type === 'AWS::Lambda::Function')
    .flatMap((fn) => {
      const role = t.Resources[fn.Properties.Role['Fn::GetAtt'][0]]!;
      const statements: Statement[] = role.Properties.Policies.flatMap((p: any) => p.PolicyDocument.Statement);
      return statements
        .map((s) => ({
          fn: fn.Properties.FunctionName as string,
          actions: [s.Action].flat(),
          leadingKeys: s.Condition?.['ForAllValues:StringLike']?.['dynamodb:LeadingKeys'],
        }))
        .filter((s) => s.actions.some((a) => a.startsWith('dynamodb:') && !STREAM_READS.includes(a)));
    });
}

/** One function's DynamoDB statements, by its short name (a prod function unless `stage` says otherwise). */
export const dynamoStatementsOf = (t: Template, fn: string, stage = 'prod') =>
  dynamoStatements(t).filter((s) => s.fn === `messaging-api-${stage}-${fn}`);

/** Whether an IAM StringLike pattern matches a key. */
export const like = (pattern: string, key: string) =>
  new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  ).test(key);
