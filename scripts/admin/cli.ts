import { parseArgs } from 'node:util';
import { isDomainError } from '../../lib/domain/errors.js';
import { ProvisioningError } from '../../lib/domain/provisioning.js';
import { MAX_CREDENTIAL_CACHE_SECONDS } from '../../lib/runtime/config.js';
import * as callbacks from './callbacks.js';
import * as dlq from './dlq.js';
import { accountLimitsCommand } from './limits.js';
import * as optout from './optout.js';
import * as ops from './actions.js';

/**
 * `npm run admin -- <group> <command> [options]` / `npx messaging-admin ...`: the operators' tool
 * (README, "Operating in production"). Parsing and printing only; scripts/admin/operations.ts does
 * the work.
 */
export const USAGE = `Usage: messaging-admin <group> <command> [options]

  account create <accountId> --name NAME
  account list | show <accountId> | disable <accountId> | enable <accountId>
  account limits <accountId> [--countries US,CA|default] [--daily-quota N|default]
                                 (destination countries: default those of its endpoints; messages per UTC day)
  endpoint create <endpointId> --account ID --customer ID --address E164 --display-name NAME
  endpoint list --account ID
  endpoint rename <endpointId> --display-name NAME
  key create --account ID --roles User | --roles INTEGRATOR[,OPERATOR,SUPERVISOR] --agent-id N [--label TEXT]
  key list --account ID
  key revoke <keyId> --account ID
  key rotate <keyId> --account ID [--overlap 24h]   (the old key works for the overlap, at least ${MAX_CREDENTIAL_CACHE_SECONDS}s: s, m, h or d)
  producer bind (--sqs-sender-id ID | --events-account ACCOUNT --source SOURCE) --account ID [--account ID...]
  producer unbind (--sqs-sender-id ID | --events-account ACCOUNT --source SOURCE)
  producer list
  callback subscribe --account ID --url URL [--events message.status,message.received]
  callback list --account ID
  callback rotate <subscriptionId> --account ID [--overlap 24h]   (both secrets sign during the overlap)
  callback delete <subscriptionId> --account ID
  dlq list <queue> | replay <queue>   (queue: send, event, callbacks, delivery; a replay run twice adds nothing)
  optout list --account ID [--all] | show <number> --account ID
  optout add <number> --account ID --reason TEXT [--by NAME] | remove <number> --account ID --reason TEXT [--by NAME]
  optout import --account ID --file CSV [--reason TEXT] [--by NAME]   (lines: number[,reason])
  optout texts --account ID [--opt-out TEXT] [--opt-in TEXT] [--help-text TEXT]   (the confirmations)

Target: the local stack by default (DYNAMODB_ENDPOINT, else DynamoDB Local on DYNAMODB_PORT or 8000,
table messaging-api-dev); --stage NAME [--region REGION] for a deployed stage's table with your own
AWS credentials. --json prints JSON. Secrets are printed once and stored only as their hash.`;

const OPTIONS = {
  stage: { type: 'string' },
  region: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  name: { type: 'string' },
  account: { type: 'string', multiple: true },
  customer: { type: 'string' },
  address: { type: 'string' },
  'display-name': { type: 'string' },
  roles: { type: 'string' },
  'agent-id': { type: 'string' },
  label: { type: 'string' },
  overlap: { type: 'string' },
  'sqs-sender-id': { type: 'string' },
  'events-account': { type: 'string' },
  source: { type: 'string' },
  url: { type: 'string' },
  events: { type: 'string' },
  countries: { type: 'string' },
  'daily-quota': { type: 'string' },
  reason: { type: 'string' },
  by: { type: 'string' },
  file: { type: 'string' },
  all: { type: 'boolean' },
  'opt-out': { type: 'string' },
  'opt-in': { type: 'string' },
  'help-text': { type: 'string' },
} as const;

export type Args = ReturnType<typeof parseCommandLine>;

export const parseCommandLine = (argv: string[]) => parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });

class UsageError extends Error {}

const required = <T>(value: T | undefined, what: string): T => {
  if (value === undefined) throw new UsageError(`${what} is required`);
  return value;
};

function oneAccount(values: Args['values']): string {
  const accounts = required(values.account, '--account');
  if (accounts.length !== 1) throw new UsageError('give --account once');
  return accounts[0]!;
}

const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

/** "90", "90s", "15m", "24h", "7d": seconds. */
export function parseDuration(text: string): number {
  const match = /^(\d+)([smhd]?)$/.exec(text);
  if (!match) throw new UsageError(`--overlap must be a number of seconds, or with s, m, h or d (got '${text}')`);
  return Number(match[1]) * UNITS[match[2] || 's']!;
}

function producerOf(values: Args['values']): unknown {
  if (values['sqs-sender-id'] !== undefined) return { kind: 'sqs', senderId: values['sqs-sender-id'] };
  if (values['events-account'] !== undefined)
    return { kind: 'events', account: values['events-account'], source: required(values.source, '--source') };
  throw new UsageError('--sqs-sender-id, or --events-account with --source, is required');
}

/** Numbers are validated by the schema, which names the field; only digits become numbers here. */
const number = (text: string | undefined): unknown => (text !== undefined && /^\d{1,16}$/.test(text) ? Number(text) : text);

function dlqName(name: string | undefined): dlq.DlqName {
  const queue = required(name, '<queue>');
  if (!dlq.isDlq(queue)) throw new UsageError(`<queue> must be one of ${Object.keys(dlq.DLQS).join(', ')} (got '${queue}')`);
  return queue;
}

type Handler = (o: ops.AdminContext, positional: string | undefined, values: Args['values']) => Promise<unknown>;
const target = (positional: string | undefined, what: string) => required(positional, what);

export const COMMANDS: Record<string, Handler> = {
  'account create': (o, id, v) => ops.createAccount(o, { accountId: target(id, '<accountId>'), name: required(v.name, '--name') }),
  'account list': (o) => ops.listAccounts(o),
  'account show': (o, id) => ops.showAccount(o, target(id, '<accountId>')),
  'account disable': (o, id) => ops.setAccountStatus(o, target(id, '<accountId>'), 'disabled'),
  'account enable': (o, id) => ops.setAccountStatus(o, target(id, '<accountId>'), 'active'),
  'account limits': (o, id, v) =>
    accountLimitsCommand(o, target(id, '<accountId>'), {
      ...(v.countries === undefined ? {} : { countries: v.countries }),
      ...(v['daily-quota'] === undefined ? {} : { dailyQuota: v['daily-quota'] }),
    }),
  'endpoint create': (o, id, v) =>
    ops.createEndpoint(o, {
      endpointId: target(id, '<endpointId>'),
      accountId: oneAccount(v),
      customerId: required(v.customer, '--customer'),
      address: required(v.address, '--address'),
      displayName: required(v['display-name'], '--display-name'),
    }),
  'endpoint list': (o, _id, v) => ops.listEndpoints(o, oneAccount(v)),
  'endpoint rename': (o, id, v) => ops.renameEndpoint(o, target(id, '<endpointId>'), required(v['display-name'], '--display-name')),
  'key create': (o, _id, v) =>
    ops.createKey(o, {
      accountId: oneAccount(v),
      roles: required(v.roles, '--roles').split(','),
      ...(v['agent-id'] === undefined ? {} : { agentId: number(v['agent-id']) }),
      ...(v.label === undefined ? {} : { label: v.label }),
    }),
  'key list': (o, _id, v) => ops.listKeys(o, oneAccount(v)),
  'key revoke': (o, id, v) => ops.revokeKey(o, oneAccount(v), target(id, '<keyId>')),
  'key rotate': (o, id, v) => ops.rotateKey(o, oneAccount(v), target(id, '<keyId>'), parseDuration(v.overlap ?? '24h')),
  'producer bind': (o, _id, v) => ops.bindProducer(o, producerOf(v), required(v.account, '--account')),
  'producer unbind': (o, _id, v) => ops.unbindProducer(o, producerOf(v)),
  'producer list': (o) => ops.listProducers(o),
  'callback subscribe': (o, _id, v) =>
    callbacks.subscribe(o, oneAccount(v), required(v.url, '--url'), (v.events ?? 'message.status,message.received').split(',')),
  'callback list': (o, _id, v) => callbacks.list(o, oneAccount(v)),
  'callback rotate': (o, id, v) => callbacks.rotate(o, oneAccount(v), target(id, '<subscriptionId>'), parseDuration(v.overlap ?? '24h')),
  'callback delete': (o, id, v) => callbacks.remove(o, oneAccount(v), target(id, '<subscriptionId>')),
  'dlq list': (o, id) => dlq.listDlq(o, dlqName(id)),
  'dlq replay': (o, id) => dlq.replayDlq(o, dlqName(id)),
  'optout list': (o, _id, v) => optout.list(o, oneAccount(v), v.all ?? false),
  'optout show': (o, id, v) => optout.show(o, oneAccount(v), target(id, '<number>')),
  'optout add': (o, id, v) => optout.add(o, oneAccount(v), target(id, '<number>'), v.reason, v.by),
  'optout remove': (o, id, v) => optout.remove(o, oneAccount(v), target(id, '<number>'), v.reason, v.by),
  'optout import': (o, _id, v) => optout.importCsv(o, oneAccount(v), required(v.file, '--file'), v.reason, v.by),
  'optout texts': (o, _id, v) =>
    optout.texts(o, oneAccount(v), {
      ...(v['opt-out'] === undefined ? {} : { optOut: v['opt-out'] }),
      ...(v['opt-in'] === undefined ? {} : { optIn: v['opt-in'] }),
      ...(v['help-text'] === undefined ? {} : { help: v['help-text'] }),
    }),
};

export interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
}

/** Human output: a secret on its own line with its warning, lists as one line per item. */
function render(result: unknown): string {
  const line = (item: unknown) =>
    typeof item === 'object' && item !== null
      ? Object.entries(item)
          .map(([k, v]) => `${k}=${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
          .join('  ')
      : String(item);
  if (Array.isArray(result)) return result.length ? result.map(line).join('\n') : '(none)';
  if (typeof result === 'object' && result !== null && 'secret' in result) {
    // The key (and, for a rotation, the key it replaces), one line each, then the secret.
    const { secret, ...keys } = result as { secret: string };
    // A callback secret signs, so it is stored (encrypted at rest) and never shown again; a key's only as its hash.
    const stored = secret.startsWith('whsec_') ? 'never shown again' : 'stored only as its hash';
    return `${Object.values(keys).map(line).join('\n')}\n\nSecret (shown once, ${stored}; keep it now):\n${secret}`;
  }
  return line(result);
}

/** Runs one command line; the exit code: 0 done, 1 refused (exists, not found, disabled), 2 bad input or usage. */
export async function runAdmin(argv: string[], open: (values: Args['values']) => ops.AdminContext, io: Io): Promise<number> {
  let args: Args;
  try {
    args = parseCommandLine(argv);
  } catch (error) {
    io.err(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = args;
  const [group, command, id, ...extra] = positionals;
  const handler = COMMANDS[`${group} ${command}`];
  if (values.help || !handler || extra.length) {
    (values.help ? io.out : io.err)(USAGE);
    return values.help ? 0 : 2;
  }
  const operations = open(values);
  try {
    const result = await handler(operations, id, values);
    io.out(values.json ? JSON.stringify(result, null, 2) : render(result));
    return 0;
  } catch (error) {
    if (error instanceof UsageError) io.err(`${error.message}\n\n${USAGE}`);
    else if (isDomainError(error)) io.err(error.fields.map((f) => `invalid ${f.field}: ${f.message}`).join('\n') || error.message);
    else if (error instanceof ProvisioningError) io.err(error.message);
    // DynamoDB unreachable, no table, no permission: the SDK's own words, without a stack trace.
    else
      io.err(`${(error as Error).name}: ${(error as Error).message || (error as { code?: string }).code} (table ${operations.table.name})`);
    return error instanceof UsageError || isDomainError(error) ? 2 : 1;
  }
}
