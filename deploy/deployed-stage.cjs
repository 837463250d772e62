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
 *   not packaged at all: no route, no role, no bundle.
 *
 * The rules are the code's own, read from lib/runtime/ (through tsx, as `npm start` runs it), never
 * restated here.
 */
/** An httpApi event's path, from either of its spellings ({ method, path } or 'METHOD /path'). */
const routePath = ({ httpApi }) => (typeof httpApi === 'string' ? httpApi.split(' ')[1] : httpApi?.path) ?? '';

class DeployedStage {
  constructor(serverless) {
    this.serverless = serverless;
    this.hooks = { 'before:package:initialize': () => this.check() };
  }

  fail(message) {
    throw new this.serverless.classes.Error(`Stage '${this.serverless.getProvider('aws').getStage()}': ${message}`);
  }

  check() {
    const functions = this.serverless.service.functions;
    const providerEnvironment = this.serverless.service.provider.environment ?? {};
    const environments = Object.entries(functions).map(([name, fn]) => [name, { ...providerEnvironment, ...fn.environment }]);
    const channels = this.channels(environments);
    if (!channels.some(({ used }) => used.includes('simulated'))) {
      for (const [name, fn] of Object.entries(functions)) {
        if ((fn.events ?? []).some((event) => routePath(event).startsWith('/dev/'))) delete functions[name];
      }
    }
  }

  /** Each delivery function's channels, as it will read them when it starts in AWS (no IS_OFFLINE). */
  channels(environments) {
    // Loaded here, not at the top: serverless-offline loads this plugin too, and needs none of it.
    const tsx = require('tsx/cjs/api');
    const { loadConfig } = tsx.require('../lib/runtime/config.ts', __filename);
    const { channelProviders } = tsx.require('../lib/runtime/channels.ts', __filename);
    const values = new Set(environments.flatMap(([, env]) => ('DELIVERY_PROVIDERS' in env ? [env.DELIVERY_PROVIDERS] : [])));
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
