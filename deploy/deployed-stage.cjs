'use strict';

/**
 * What a deployed stage may hold, checked when it is packaged (`serverless package`, and so
 * `serverless deploy`), which only ever builds a stage for AWS: the local stack is serverless-offline,
 * which runs none of these hooks. Before anything is built:
 *
 * - every channel has a provider its params name (`deliveryProviders`): the simulated carrier is the
 *   local stack's default only (lib/runtime/channels.ts, the same check every delivery function makes
 *   when it starts), so a stage that names no provider for a channel does not package;
 * - where no channel uses the simulated carrier, its functions (those with a route under `/dev/`) are
 *   not packaged at all: no route, no role, no bundle;
 * - no local-only setting reaches a function from the deployer's shell (serverless.yml reads these
 *   from the environment so that the local stack can set them): `localSettings` below.
 *
 * The rules of providers are the code's own (lib/runtime/channels.ts), never restated here.
 */

/** An httpApi event's path, from either of its spellings ({ method, path } or 'METHOD /path'). */
const routePath = ({ httpApi }) => (typeof httpApi === 'string' ? httpApi.split(' ')[1] : httpApi?.path) ?? '';

/** Variables that hold a URL of the local stack's own queues when set (else the stage's queue). */
const QUEUE_URLS = {
  DEAD_LETTER_QUEUE_URL: 'SEND_DLQ_URL or EVENT_DLQ_URL',
  CALLBACK_QUEUE_URL: 'CALLBACK_QUEUE_URL',
  CALLBACK_DLQ_URL: 'CALLBACK_DLQ_URL',
};

/** A URL only this machine or its network can reach, or not https: none a deployed stage can name. */
function isLocalUrl(value, isPrivateAddress) {
  let url;
  try {
    url = new URL(value);
  } catch {
    return true;
  }
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (url.protocol !== 'https:' || host === 'localhost' || host.endsWith('.localhost')) return true;
  return require('node:net').isIP(host) !== 0 && isPrivateAddress(host);
}

/**
 * What the local stack sets and a deployed stage must never hold, for each function's environment:
 * DynamoDB Local and the SQS emulator, the emulator's queue URLs (a deployed stage uses its own
 * queues: a URL given here is the shell's), callbacks to private addresses, and a PUBLIC_BASE_URL
 * on this machine. One line per variable and value.
 */
function localSettings(environments, isPrivateAddress) {
  const found = new Set();
  for (const env of environments) {
    for (const name of ['DYNAMODB_ENDPOINT', 'SQS_ENDPOINT']) {
      if (env[name]) found.add(`${name}='${env[name]}': the local stack's, set in the shell (in AWS, AWS's own endpoint)`);
    }
    if (env.CALLBACK_ALLOW_PRIVATE === 'true') found.add(`CALLBACK_ALLOW_PRIVATE=true: callbacks to private addresses, local only`);
    for (const [name, source] of Object.entries(QUEUE_URLS)) {
      if (typeof env[name] === 'string' && env[name])
        found.add(`${name}='${env[name]}': from ${source} in the shell, not the stage's queue`);
    }
    if (env.PUBLIC_BASE_URL && isLocalUrl(env.PUBLIC_BASE_URL, isPrivateAddress)) {
      found.add(`PUBLIC_BASE_URL='${env.PUBLIC_BASE_URL}': not a public https URL`);
    }
  }
  return [...found];
}

/** The code's own rules, read through tsx as `npm start` runs them; loaded when packaging only (serverless-offline loads this plugin too). */
const code = (path) => require('tsx/cjs/api').require(path, __filename);

class DeployedStage {
  constructor(serverless) {
    this.serverless = serverless;
    this.hooks = { 'before:package:initialize': () => this.check() };
  }

  fail(message) {
    throw new this.serverless.classes.Error(`Stage '${this.serverless.getProvider('aws').getStage()}': ${message}`);
  }

  check() {
    const { functions, provider } = this.serverless.service;
    const environments = Object.values(functions).map((fn) => ({ ...provider.environment, ...fn.environment }));
    const local = localSettings(environments, code('../lib/callbacks/url-safety.ts').isPrivateAddress);
    if (local.length) this.fail(`local settings would be deployed; unset them in the shell you package from:\n  ${local.join('\n  ')}`);
    if (!this.channels(environments).some(({ used }) => used.includes('simulated'))) {
      for (const [name, fn] of Object.entries(functions)) {
        if ((fn.events ?? []).some((event) => routePath(event).startsWith('/dev/'))) delete functions[name];
      }
    }
  }

  /** Each delivery function's channels, as it will read them when it starts in AWS (no IS_OFFLINE). */
  channels(environments) {
    const { loadConfig } = code('../lib/runtime/config.ts');
    const { channelProviders } = code('../lib/runtime/channels.ts');
    const values = new Set(environments.flatMap((env) => ('DELIVERY_PROVIDERS' in env ? [env.DELIVERY_PROVIDERS] : [])));
    return [...values].map((value) => {
      try {
        return channelProviders(loadConfig({ DELIVERY_PROVIDERS: value }));
      } catch (error) {
        return this.fail(`${error.message} (the deliveryProviders param, docs/delivery.md#providers)`);
      }
    });
  }
}

module.exports = DeployedStage;
module.exports.localSettings = localSettings;
