import { version } from '../package.json';
import { channelProviders } from '../lib/runtime/channels.js';
import { config } from '../lib/runtime/config.js';
import { httpHandler } from '../lib/wire/handler.js';
import { describeApi } from '../lib/wire/describe/router.js';
import { renderError } from '../lib/wire/servicestack/respond.js';

/**
 * Without PUBLIC_BASE_URL each answer names the URL it was asked on. The simulated carrier's routes
 * are described where they are served: where some channel uses that carrier (DELIVERY_PROVIDERS).
 */
const settings = config();
const site = {
  baseUrl: settings.PUBLIC_BASE_URL,
  version,
  simulatedCarrier: channelProviders(settings).used.includes('simulated'),
};

/**
 * The API describing itself, anonymously as ServiceStack does: /types/{lang} (Add ServiceStack
 * Reference), /metadata pages, /openapi.json and .yaml. Generated from the handlers' schemas.
 */
export const handler = httpHandler(async (request) => describeApi(request, site), renderError);
