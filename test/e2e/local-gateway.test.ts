import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startGateway, type Gateway } from '../../scripts/gateway.js';
import { run, waitForPort, type Running } from '../../scripts/processes.js';
import { LOCAL_AWS_ENV } from '../../scripts/stack.js';
import { api } from '../support/stack.js';

const SERVERLESS = fileURLToPath(new URL('../../node_modules/osls/bin/serverless.js', import.meta.url));

/**
 * A function that crashes and one that times out, served by serverless-offline as the local stack
 * serves messaging-api, behind the same gateway (scripts/gateway.ts). The functions are a separate
 * service (test/support/failing-service/), so nothing of them can be packaged with messaging-api;
 * the real functions never crash (lib/wire/handler.ts renders every failure), and the fault proxy
 * can not make them time out (every DynamoDB call ends at the invocation's deadline).
 */
describe('the local stack answers failed invocations as API Gateway does', () => {
  let offline: Running;
  let gateway: Gateway;
  let base: string;

  beforeAll(async () => {
    const [httpPort, lambdaPort] = [await freePort(), await freePort()];
    offline = run(process.execPath, [SERVERLESS, 'offline', 'start', '--stage', 'test'], {
      cwd: fileURLToPath(new URL('../support/failing-service/', import.meta.url)),
      stdio: 'ignore',
      env: { ...process.env, ...LOCAL_AWS_ENV, HTTP_PORT: String(httpPort), LAMBDA_PORT: String(lambdaPort) },
    });
    await waitForPort(httpPort, 'serverless-offline (failing-service)', offline, 120_000);
    gateway = await startGateway(0, httpPort, '127.0.0.1');
    base = `http://127.0.0.1:${gateway.port}`;
  }, 150_000);

  afterAll(async () => {
    await gateway?.stop();
    await offline?.stop();
  });

  it('a function error is a 500 that says nothing of the error', async () => {
    const response = await fetch(`${base}/crash`);
    expect(response.status).toBe(500);
    expect(response.headers.get('content-type')).toBe('application/json');
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({ message: 'Internal Server Error' });
    expect(text).not.toContain('crashed on purpose');
  });

  it('a timeout is a 503', async () => {
    const response = await fetch(`${base}/hang`);
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ message: 'Service Unavailable' });
  });

  it("a function's own answer passes unchanged, even a JSON body that names an error, and any verb (HEAD too)", async () => {
    const post = await fetch(`${base}/answer?x=1`, { method: 'POST', body: 'hello' });
    expect(post.status).toBe(200);
    expect(post.headers.get('x-echo-method')).toBe('POST');
    expect(await post.json()).toEqual({ errorMessage: 'not an error', errorType: 'Answer', stackTrace: [], method: 'POST' });
    const head = await fetch(`${base}/answer`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('x-echo-method')).toBe('HEAD');
    expect(await head.text()).toBe('');
  });
});

describe("the local stack's own HTTP port", () => {
  it('is the gateway: answers pass through with their status, headers and body', async () => {
    const docs = await api('/docs/swagger-ui.css', { key: null });
    expect(docs.status).toBe(200);
    expect(docs.headers.get('content-type')).toMatch(/^text\/css/);
    expect(docs.headers.get('content-security-policy')).toContain("default-src 'self'");
    const refused = await api('/sessions/ses_demo/messages', { body: { body: 'x' }, key: 'no-such-key' });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toBe('Bearer');
  });
});
