import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Express } from 'express';
import { type Browser, type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';
import { afterEach, expect } from 'vitest';
import { password } from '../harness.ts';

const require = createRequire(import.meta.url);
const axePath = require.resolve('axe-core/axe.min.js');
export const screenshotsDir = fileURLToPath(new URL('../../../../artifacts/screenshots', import.meta.url));

/** Debian's chromium, never a downloaded browser. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export interface ServedApp {
  baseUrl: string;
  close(): Promise<void>;
}

/** The app on a real socket, as the browser needs one. */
export async function serve(app: Express): Promise<ServedApp> {
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface WatchedContext {
  context: BrowserContext;
  page: Page;
  /** Every URL the browser asked for: person data must never be in one. */
  urls: string[];
  /** Console errors and page errors (a CSP violation shows here). */
  errors: string[];
}

/**
 * A browser context on the app, under the app's own content-security policy (never bypassed: a script or
 * style the policy refuses is a console error, and the tests fail on console errors). `errors` collects
 * every console error and uncaught page error.
 */
export async function openContext(browser: Browser, baseUrl: string, options: { javaScript: boolean }): Promise<WatchedContext> {
  const context = await browser.newContext({
    baseURL: baseUrl,
    javaScriptEnabled: options.javaScript,
    locale: 'fr-FR',
    timezoneId: 'Europe/Paris',
    viewport: { width: 1280, height: 900 },
  });
  // Every wait is on the page's own signal (a navigation committed, the document loaded, the <main> landmark,
  // a URL, an element); this ceiling only bounds how long a step that will never come is waited for, so a
  // loaded machine slows the suite down instead of failing it.
  context.setDefaultTimeout(browserStepCeilingMs);
  const page = await context.newPage();
  const watched: WatchedContext = { context, page, urls: [], errors: [] };
  page.on('request', (request) => watched.urls.push(request.url()));
  page.on('console', (message) => {
    if (message.type() === 'error') watched.errors.push(message.text());
  });
  page.on('pageerror', (error) => watched.errors.push(error.message));
  watchedContexts.push(watched);
  return watched;
}

/**
 * A browser's own line for a document answered 4xx ("Failed to load resource: … status of 400"): what a test
 * of bad input asks for. Anything else logged as an error — a script error, a refused script or style — fails.
 */
const expectedRefusal = /^Failed to load resource: the server responded with a status of 4\d\d/;

const watchedContexts: WatchedContext[] = [];
// Every test of a file that opens a browser context fails on a console error of that test, whatever it checks.
afterEach(() => {
  const unexpected = watchedContexts.flatMap((watched) => watched.errors.filter((error) => !expectedRefusal.test(error)));
  for (const watched of watchedContexts) watched.errors.length = 0;
  expect(unexpected, 'console errors in the browser').toEqual([]);
});

/** Runs axe-core in the page (every rule axe runs by default) and expects no violation. */
export async function expectNoAxeViolations(page: Page, name: string): Promise<void> {
  // Evaluated through the DevTools protocol, which the page's content-security policy does not govern: the app's
  // own policy stays in force for everything the page loads (a script tag would need it bypassed).
  await page.evaluate(readFileSync(axePath, 'utf8'));
  const violations = await page.evaluate(async () => {
    const axe = (
      globalThis as unknown as {
        axe: { run(): Promise<{ violations: Array<{ id: string; impact: string; nodes: Array<{ target: unknown }> }> }> };
      }
    ).axe;
    const result = await axe.run();
    return result.violations.map((violation) => ({
      id: violation.id,
      impact: violation.impact,
      targets: violation.nodes.slice(0, 3).map((node) => JSON.stringify(node.target)),
    }));
  });
  expect(violations, `axe violations on ${name}`).toEqual([]);
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(screenshotsDir, { recursive: true });
  await page.screenshot({ path: join(screenshotsDir, `${name}.png`), fullPage: true });
}

/** How long a browser step may wait for its signal before the test fails: a ceiling, never a pause. */
export const browserStepCeilingMs = 60_000;

/**
 * Clicks a link or a submit button and waits for the page it leads to (after any redirect): the new
 * document's navigation, its load, then its <main> landmark (every page of the desk has one).
 */
export async function navigate(target: Locator): Promise<void> {
  const page = target.page();
  const committed = page.waitForEvent('framenavigated', (frame) => frame === page.mainFrame());
  await target.click();
  await committed;
  await page.waitForLoadState('load');
  await page.locator('main').first().waitFor({ state: 'attached' });
}

export async function logIn(page: Page, email: string, secret = password): Promise<void> {
  await page.goto('/connexion');
  await page.getByLabel('Adresse e-mail professionnelle').fill(email);
  await page.getByLabel('Mot de passe').fill(secret);
  await navigate(page.getByRole('button', { name: 'Se connecter' }));
}

/** The person's names must appear in no URL the browser asked for, nor in the title. */
export function expectNoPersonDataInUrls(urls: readonly string[], names: readonly string[]): void {
  for (const url of urls) {
    const decoded = decodeURIComponent(url).toLowerCase();
    for (const name of names) expect(decoded, `URL ${url}`).not.toContain(name.toLowerCase());
  }
}
