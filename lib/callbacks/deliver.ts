import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { outcomeOf, type AttemptOutcome, type CallbackJob } from '../domain/callbacks/attempt.js';
import { checkCallbackUrl, UnresolvedHostError, UnsafeUrlError, type Resolver } from './url-safety.js';

/**
 * Standard Webhooks headers for one attempt: the job's id (the same on every retry), the time of this
 * attempt, and one `v1,` signature per live secret, space-separated (a rotation's overlap).
 */
export function signedHeaders(job: CallbackJob, secrets: string[], now: Date): Record<string, string> {
  // Never an empty webhook-signature: the core dead-letters a job with no live secret before this.
  if (!secrets.length) throw new Error('No secret to sign the callback with');
  return {
    'webhook-id': job.webhookId,
    'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
    'webhook-signature': secrets.map((secret) => new Webhook(secret).sign(job.webhookId, now, job.payload)).join(' '),
  };
}

export interface AttemptOptions {
  allowPrivate: boolean;
  /** The whole attempt's: the lookup, then connect, TLS and the answer in what is left. */
  timeoutMs: number;
  resolve?: Resolver;
}

/** The URL checked, or an UnresolvedHostError once `ms` have passed without an answer from DNS. */
function checkWithin(url: string, options: AttemptOptions, ms: number): ReturnType<typeof checkCallbackUrl> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new UnresolvedHostError(`no address within ${ms} ms`)), ms);
  });
  return Promise.race([checkCallbackUrl(url, options.allowPrivate, options.resolve), late]).finally(() => clearTimeout(timer));
}

/**
 * One POST of the job to `url`: the URL is checked again (DNS rebinding) and the connection pinned to
 * the address checked; redirects are not followed (a 3xx is final); the response body is read and
 * discarded, never stored. Success only on 2xx within `timeoutMs`. A name that gives no address is
 * retried like a network error; a refused URL is final.
 */
export async function attempt(
  url: string,
  job: CallbackJob,
  secrets: string[],
  now: Date,
  options: AttemptOptions,
): Promise<AttemptOutcome> {
  const started = Date.now();
  let target: Awaited<ReturnType<typeof checkCallbackUrl>>;
  try {
    target = await checkWithin(url, options, options.timeoutMs);
  } catch (error) {
    if (error instanceof UnresolvedHostError) return { kind: 'retry', reason: error.message };
    if (error instanceof UnsafeUrlError) return { kind: 'final', reason: error.message };
    throw error;
  }
  const left = Math.max(1, options.timeoutMs - (Date.now() - started));
  const pinned: LookupFunction = (_host, opts, callback) => {
    const family = isIP(target.address);
    if ((opts as { all?: boolean }).all)
      (callback as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, [{ address: target.address, family }]);
    else callback(null, target.address, family);
  };
  const send = target.url.protocol === 'https:' ? httpsRequest : httpRequest;
  const body = Buffer.from(job.payload, 'utf8');
  return new Promise<AttemptOutcome>((resolve) => {
    const req = send(
      target.url,
      {
        method: 'POST',
        lookup: pinned,
        headers: {
          'content-type': 'application/json',
          'content-length': String(body.length),
          'user-agent': 'messaging-api-webhooks/1',
          ...signedHeaders(job, secrets, now),
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(outcomeOf(res.statusCode ?? 0)));
        res.on('error', (error) => resolve({ kind: 'retry', reason: error.message }));
      },
    );
    const timer = setTimeout(() => req.destroy(new Error(`no answer within ${options.timeoutMs} ms`)), left);
    req.on('close', () => clearTimeout(timer));
    req.on('error', (error) => resolve({ kind: 'retry', reason: error.message }));
    req.end(body);
  });
}
