import { authenticate, hashSecret } from '../lib/domain/auth.js';
import { getOptOut, listOptOuts, setOptOut, type Caller } from '../lib/domain/consent/manage.js';
import { unauthorized } from '../lib/domain/errors.js';
import { optOutDeps } from '../lib/runtime/consent.js';
import { openContainer } from '../lib/runtime/index.js';
import { bearerToken, type HttpRequest } from '../lib/wire/http.js';
import { CHANGE_OPT_OUT, OPT_OUT, OPT_OUT_LIST } from '../lib/wire/servicestack/contracts.js';
import { servicestackHandler } from '../lib/wire/servicestack/handler.js';
import { readBody } from '../lib/wire/servicestack/request.js';
import { ok } from '../lib/wire/servicestack/respond.js';

const deps = optOutDeps(openContainer());

/** The caller and its key's id (`key_` + 16 hex of the secret's hash, as provisioning names keys): who made a change. */
async function caller(request: HttpRequest): Promise<Caller> {
  const secret = bearerToken(request);
  const principal = await authenticate(deps.credentials, secret, ['User']);
  if (!secret) throw unauthorized();
  return { principal, keyId: `key_${hashSecret(secret).slice(0, 16)}` };
}

/** `+1555...` may come percent-encoded (`%2B1555...`) in the path. */
const pathNumber = (request: HttpRequest): string => {
  const raw = request.pathParameters.number ?? '';
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
};

/**
 * The account's opt-out list (docs/consent.md), role `User`: `GET /optouts` (paged), `POST /optouts`
 * `{number, reason}` (opt a number out), `GET /optouts/{number}` (its state and evidence),
 * `DELETE /optouts/{number}` with a `reason` (opt it back in). Each change records the key and the time.
 */
export const handler = servicestackHandler(async (request) => {
  const who = await caller(request);
  const number = request.pathParameters.number === undefined ? undefined : pathNumber(request);
  if (number === undefined && request.method === 'GET') return ok(request, await listOptOuts(deps, who, request.query), OPT_OUT_LIST);
  if (number !== undefined && request.method === 'GET') return ok(request, await getOptOut(deps, who, { number }), OPT_OUT);
  const input = { ...request.query, ...(readBody(request, CHANGE_OPT_OUT) as object), ...(number === undefined ? {} : { number }) };
  return ok(request, await setOptOut(deps, who, number === undefined ? 'optedOut' : 'optedIn', input), OPT_OUT);
});
