import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ports } from '../support/stack.js';

const origin = `http://127.0.0.1:${ports.http}`;
const ARTIFACTS = new URL('../../test-artifacts/', import.meta.url).pathname;

/** Debian's chromium (or CHROMIUM_PATH); its absence fails the test with the way to install it. */
function chromiumPath(): string {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  try {
    return execFileSync('which', ['chromium'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error(
      'Chromium is missing: install it with `sudo apt-get install -y chromium` (Debian/Ubuntu), or set CHROMIUM_PATH to a Chromium binary.',
    );
  }
}

/** axe-core's rules, run inside the page (injected from node_modules: nothing is fetched). */
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
async function accessibilityViolations(page: Page): Promise<string[]> {
  // Evaluated by the driver, not as a page script: the page's CSP forbids scripts, and must keep doing so.
  await page.evaluate(AXE);
  const violations = await page.evaluate(async () => (await (window as any).axe.run()).violations as { id: string; nodes: unknown[] }[]);
  return violations.map((v) => `${v.id} (${v.nodes.length})`);
}

let browser: Browser;
beforeAll(async () => {
  browser = await chromium.launch({ executablePath: chromiumPath(), args: ['--no-sandbox'] });
  mkdirSync(ARTIFACTS, { recursive: true });
}, 60_000);
afterAll(async () => browser?.close());

/** Opens a page, recording console errors, page errors and every request that leaves the origin. */
async function open(path: string): Promise<{ page: Page; errors: string[]; foreign: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors: string[] = [];
  const foreign: string[] = [];
  page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.protocol !== 'data:' && url.origin !== origin) foreign.push(request.url());
  });
  await page.goto(`${origin}${path}`, { waitUntil: 'networkidle' });
  return { page, errors, foreign };
}

describe('in headless Chromium', () => {
  it('/docs renders every operation of both families from this origin alone, without console errors', async () => {
    const { page, errors, foreign } = await open('/docs');
    await page.locator('.opblock').first().waitFor({ timeout: 20_000 });
    const tags = await page.locator('.opblock-tag').allTextContents();
    for (const tag of ['SendMessage', 'ListSessionMessages', 'OutgoingToDevice', 'Metadata']) expect(tags.join(' ')).toContain(tag);
    expect(await page.locator('.opblock-summary-path', { hasText: '/api/v1/messages/outgoing-to-device' }).count()).toBeGreaterThan(0);
    // Opening an operation renders its parameters, schemas and the demo stack's example.
    await page.locator('.opblock-summary-path', { hasText: '/api/v1/messages/outgoing-to-device' }).first().click();
    await page.getByText('Idempotency-Key').first().waitFor();
    expect(await page.locator('.opblock.is-open').textContent()).toContain('clientApplicationDescriptor');
    await page.screenshot({ path: `${ARTIFACTS}docs.png`, fullPage: false });
    expect(errors).toEqual([]);
    expect(foreign).toEqual([]);
    await page.close();
  }, 60_000);

  it('the operations index has every operation and no accessibility violation', async () => {
    const { page, errors, foreign } = await open('/metadata');
    expect(await page.getByRole('table', { name: 'Operations' }).getByRole('rowheader').allTextContents()).toEqual([
      'SendMessage',
      'ListSessionMessages',
      'ListMessages',
      'GetMessageStatus',
      'MarkMessageRead',
    ]);
    expect(await accessibilityViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
    expect(foreign).toEqual([]);
    await page.close();
  }, 60_000);

  it('a metadata page shows the operation, its routes and parameters, accessibly, without console errors', async () => {
    const { page, errors, foreign } = await open('/json/metadata?op=SendMessage');
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('SendMessage');
    expect(await page.getByRole('table', { name: 'SendMessage Parameters:' }).getByRole('rowheader').allTextContents()).toEqual([
      'SessionId',
      'EndpointId',
      'ToAddress',
      'Body',
    ]);
    expect(await page.getByRole('table', { name: /routes are available/ }).textContent()).toContain('/sessions/{sessionId}/messages');
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.getByRole('link', { name: 'TypeScript', exact: true }).click();
    await page.waitForLoadState('networkidle');
    expect(await page.locator('code.language-typescript').textContent()).toContain('export class SendMessage');
    expect(await page.getByRole('link', { name: 'TypeScript', exact: true }).getAttribute('aria-current')).toBe('page');
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.screenshot({ path: `${ARTIFACTS}metadata-sendmessage.png`, fullPage: true });
    expect(errors).toEqual([]);
    expect(foreign).toEqual([]);
    await page.close();
  }, 60_000);
});
