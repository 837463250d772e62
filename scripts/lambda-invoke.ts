/**
 * Invokes a function through serverless-offline's Lambda invoke API, as an AWS event source would.
 * serverless-offline answers a thrown error with 200 and an `errorMessage`: that is a failure here.
 */
export async function invokeLambda<T>(
  url: string,
  event: unknown,
  signal?: AbortSignal,
): Promise<{ ok: true; result: T } | { ok: false; error: string }> {
  const response = await fetch(url, { method: 'POST', body: JSON.stringify(event), signal });
  const text = await response.text();
  let result: unknown;
  try {
    result = text ? JSON.parse(text) : undefined;
  } catch {
    return { ok: false, error: text };
  }
  if (!response.ok || (typeof result === 'object' && result !== null && 'errorMessage' in result)) return { ok: false, error: text };
  return { ok: true, result: result as T };
}

export const invokeUrl = (lambdaPort: number, name: string): string =>
  `http://127.0.0.1:${lambdaPort}/2015-03-31/functions/messaging-api-dev-${name}/invocations`;

/** Runs `tick` until stopped, pausing `idleMs` after a tick that found nothing to do or failed. */
export function loop(name: string, idleMs: number, tick: (signal: AbortSignal) => Promise<boolean>): { stop(): Promise<void> } {
  const abort = new AbortController();
  const pause = () => new Promise((resolve) => setTimeout(resolve, idleMs));
  const running = (async () => {
    while (!abort.signal.aborted) {
      const busy = await tick(abort.signal).catch((error: Error) => {
        if (!abort.signal.aborted) console.error(`${name}: ${error.message}`);
        return false;
      });
      if (!busy) await pause();
    }
  })();
  return {
    async stop() {
      abort.abort();
      await running;
    },
  };
}
