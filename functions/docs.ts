import { httpHandler } from '../lib/wire/handler.js';
import { serveDocs } from '../lib/wire/describe/docs.js';
import { renderError } from '../lib/wire/servicestack/respond.js';

/** /docs: Swagger UI over /openapi.json, every asset served from here (works on a closed network). */
export const handler = httpHandler(async (request) => serveDocs(request), renderError);
