import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createNodeAdminListener } from './create-node-admin-listener.js';
import { createAdminFixture, markup, type AdminFixture } from './test-support/admin-fixture.js';
import { sqliteStores } from './test-support/provider-stores.js';

// Debian's Chromium (tooling/scripts/install-chromium.sh), never a browser downloaded by Playwright.
const chromiumPath = process.env.DURABLY_TEST_CHROMIUM_PATH ?? '/usr/bin/chromium';
const screenshotDir = fileURLToPath(new URL('../../../reports/admin-screenshots/', import.meta.url));
const missing = `Chromium not found at ${chromiumPath}: run tooling/scripts/install-chromium.sh (or set DURABLY_TEST_CHROMIUM_PATH).`;
// A sub-path, to prove the dashboard resolves everything relative to its base path.
const basePath = '/ops/jobs';

if (!existsSync(chromiumPath)) {
  describe('dashboard in Chromium', () => {
    if (process.env.CI) it('needs Chromium on CI', () => void expect.fail(missing));
    else it.skip(`skipped: ${missing}`, () => {});
  });
} else {
  dashboardTests();
}

/** Takes a full-page screenshot and checks it is a non-empty PNG. */
async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(screenshotDir, { recursive: true });
  const path = `${screenshotDir}${name}.png`;
  await page.screenshot({ path, fullPage: true });
  const bytes = readFileSync(path);
  expect(bytes.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
  expect(bytes.length).toBeGreaterThan(5_000);
}

function dashboardTests(): void {
  const stores = sqliteStores();
  let browser: Browser;
  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: chromiumPath,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking',
        '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
  });
  afterAll(async () => {
    await browser?.close();
    stores.cleanup();
  });

  describe('dashboard in Chromium (sqlite)', { timeout: 90_000 }, () => {
    let fx: AdminFixture;
    let server: Server;
    let base: string;
    let context: BrowserContext;
    let page: Page;
    let problems: string[];

    beforeEach(async () => {
      fx = await createAdminFixture(stores.factory);
      // Cookie sessions, the way an application would authorise its operators.
      const handler = fx.makeHandler({
        basePath,
        authorize: (request) => (request.headers.get('cookie')?.includes('session=operator') ? { role: 'manage', actor: 'operator' } : null),
      });
      server = createServer(createNodeAdminListener(handler));
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      await context.addCookies([{ name: 'session', value: 'operator', url: base }]);
      page = await context.newPage();
      problems = [];
      // CSP violations and script errors show up as console errors / page errors.
      // (4xx answers the test provokes, like an invalid cron, are logged as resource errors: expected.)
      page.on('console', (message) => {
        if (message.type() === 'error' && !/status of 4\d\d/.test(message.text())) problems.push(`console: ${message.text()}`);
      });
      page.on('response', (response) => { if (response.status() >= 500) problems.push(`${response.status()}: ${response.url()}`); });
      page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
      page.on('request', (request) => { if (!request.url().startsWith(base)) problems.push(`foreign request: ${request.url()}`); });
    });
    afterEach(async () => {
      await context.close();
      await new Promise((resolve) => server.close(resolve));
      await fx.destroy();
      expect(problems).toEqual([]);
    });

    it('overview: counts, oldest due run, workers, throughput chart', async () => {
      await page.goto(`${base}${basePath}/`);
      await expect.poll(() => page.locator('[data-testid=counts] [data-status=failed] .count').textContent()).toBe('1');
      expect(await page.locator('[data-testid=counts] [data-status=pending] .count').textContent()).toBe('2');
      expect(await page.locator('[data-testid=oldest-due]').textContent()).toContain('report.build');
      expect(await page.locator('[data-testid=workers] td').first().textContent()).toBe('w1');
      expect(await page.locator('[data-testid=throughput] rect.bar-failed').count()).toBe(24);
      await screenshot(page, 'overview');
    });

    it('run list: filters from the URL, a filter form that writes them back, markup shown inert', async () => {
      await page.goto(`${base}${basePath}/?view=runs&status=failed`);
      await page.waitForSelector('[data-testid=run-table] tbody tr');
      expect(await page.locator('select[name=status]').inputValue()).toBe('failed');
      expect(await page.locator('[data-testid=run-table] tbody tr').count()).toBe(1);
      await page.selectOption('select[name=status]', '');
      await page.fill('input[name=payloadPath]', '$.title');
      await page.fill('input[name=payloadValue]', markup);
      await page.click('form[data-testid=filters] button[type=submit]');
      await page.waitForURL(/payloadPath=/);
      expect(new URL(page.url()).searchParams.get('payloadValue')).toBe(markup);
      await page.waitForSelector('[data-testid=run-table] tbody tr');
      expect(await page.locator('[data-testid=run-table] tbody tr').count()).toBe(1);
      expect(await page.locator('[data-testid=run-table] tbody').textContent()).toContain('report.build');
      await screenshot(page, 'runs');
    });

    it('run detail: error with stack, then Retry makes the failed run pending', async () => {
      await page.goto(`${base}${basePath}/?view=runs&status=failed`);
      await page.click('[data-testid=run-table] tbody a');
      await page.waitForSelector('[data-testid=run-error] pre.stack');
      expect(await page.locator('[data-testid=run-error] pre.stack').textContent()).toContain('at handler (job.ts:1:1)');
      // The error message holds an <img onerror> tag: it must be text, not an element.
      expect(await page.locator('[data-testid=run-error]').textContent()).toContain(markup);
      expect(await page.locator('main img').count()).toBe(0);
      await screenshot(page, 'run-failed');
      await page.click('button[data-action=retry]');
      await page.waitForSelector('h1 [data-status=pending]');
      expect((await fx.store.runGet({ runId: fx.runs.failed }))?.status).toBe('pending');
    });

    it('run detail: live progress and log lines while running, then cancel', async () => {
      await page.goto(`${base}${basePath}/?view=run&id=${fx.runs.leased}`);
      await page.waitForSelector('[data-testid=progress] progress');
      expect(await page.locator('[data-testid=progress] progress').getAttribute('value')).toBe('40');
      expect(await page.locator('[data-testid=logs]').textContent()).toContain(`started ${markup}`);
      const ref = { runId: fx.runs.leased, workerName: 'w1', attempt: 1 };
      await fx.store.runProgressSet({ updates: [{ ...ref, percent: 70, message: 'step 4 of 5' }] });
      await fx.store.runLogAppend({ lines: [{ ...ref, at: fx.clock.now(), level: 'warn', message: 'slow upstream' }], maxLinesPerRun: 1000 });
      // No reload: the page refreshes itself while the run is active.
      await expect.poll(() => page.locator('[data-testid=progress] progress').getAttribute('value'), { timeout: 10_000 }).toBe('70');
      expect(await page.locator('[data-testid=logs]').textContent()).toContain('slow upstream');
      expect(await page.locator('[data-testid=progress]').textContent()).toContain('step 4 of 5');
      await screenshot(page, 'run-live');
      await page.click('button[data-action=cancel]');
      await page.waitForSelector('#flash:not([hidden])');
      expect(await page.locator('#flash').textContent()).toContain('Cancellation requested');
      expect((await fx.store.runGet({ runId: fx.runs.leased }))?.cancelRequestedAt).toBeInstanceOf(Date);
    });

    it('run detail: cancel a pending run', async () => {
      await page.goto(`${base}${basePath}/?view=run&id=${fx.runs.pending}`);
      await page.waitForSelector('[data-testid=payload] pre');
      expect(await page.locator('[data-testid=payload] pre').textContent()).toContain('"title": "<img src=x onerror=');
      expect(await page.locator('main img').count()).toBe(0);
      await page.click('button[data-action=cancel]');
      await page.waitForSelector('h1 [data-status=cancelled]');
      expect((await fx.store.runGet({ runId: fx.runs.pending }))?.status).toBe('cancelled');
    });

    it('schedules: run now, disable/enable, edit cron (with the reason when invalid)', async () => {
      await page.goto(`${base}${basePath}/?view=schedules`);
      const row = page.locator('tr[data-job="report.nightly"]');
      await row.waitFor();
      expect(await row.textContent()).toContain('2026-03-02 02:00:00Z');
      await row.locator('button[data-action=run-now]').click();
      const runId = await page.locator('[data-testid=run-now-id]').textContent();
      expect(await fx.store.runGet({ runId: runId! })).toMatchObject({ jobName: 'report.nightly', origin: 'run-now' });
      await row.locator('button[data-action=toggle]').click();
      await expect.poll(() => row.locator('[data-testid=enabled]').textContent()).toBe('disabled');
      expect((await fx.store.scheduleGet({ jobName: 'report.nightly' }))?.enabled).toBe(false);
      await row.locator('button[data-action=toggle]').click();
      await expect.poll(() => row.locator('[data-testid=enabled]').textContent()).toBe('enabled');
      await row.locator('button[data-action=edit]').click();
      await row.locator('input[name=cron]').fill('61 * * * *');
      await row.locator('.cron-form button[type=submit]').click();
      await expect.poll(() => row.locator('[data-testid=cron-error]').textContent()).toMatch(/\w/);
      await row.locator('input[name=cron]').fill('30 4 * * *');
      await row.locator('.cron-form button[type=submit]').click();
      await expect.poll(() => row.locator('code').first().textContent()).toBe('30 4 * * *');
      expect((await fx.store.scheduleGet({ jobName: 'report.nightly' }))?.cron).toBe('30 4 * * *');
      await screenshot(page, 'schedules');
    });
  });
}
