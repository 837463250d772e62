import { version } from '../package.json';
import { httpHandler } from '../lib/wire/handler.js';
import { describeApi } from '../lib/wire/describe/router.js';
import { renderError } from '../lib/wire/servicestack/respond.js';

/** Empty counts as unset (`${env:X, ''}`): then each answer names the URL it was asked on. */
const site = { baseUrl: process.env.PUBLIC_BASE_URL || undefined, version };

/**
 * The API describing itself, anonymously as ServiceStack does: /types/{lang} (Add ServiceStack
 * Reference), /metadata pages, /openapi.json and .yaml. Generated from the handlers' schemas.
 */
export const handler = httpHandler(async (request) => describeApi(request, site), renderError);
