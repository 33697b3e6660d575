import { seedDemoHistory } from '@parcours/demo-territory';
import { projectSupervisionUntilCaughtUp } from '@parcours/supervision-store';
import { createTestDatabase, type TestDatabase } from '@parcours/testing';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTerritoryWorld } from '../territory-world.ts';
import {
  expectNoAxeViolations,
  launchChromium,
  logIn,
  navigate,
  openContext,
  type ServedApp,
  screenshot,
  serve,
} from './browser-harness.ts';

/**
 * « Pilotage » in a real browser, on the demo territory with history: the charts drawn under the app's own
 * content-security policy, the tables without JavaScript, filters, a CSV export, and axe on each report.
 */
let database: TestDatabase;
let served: ServedApp;
let browser: Browser;
const supervisorEmail = 'superviseure@demo.parcours.test';
const period = '?du=2025-03&au=2026-02';

beforeAll(async () => {
  database = await createTestDatabase();
  const world = await createTerritoryWorld(database.db, (await database.connectAsService()).db);
  await seedDemoHistory(database.db, world.organisationIds, { cases: 80, now: new Date('2026-03-01T09:00:00Z') });
  await projectSupervisionUntilCaughtUp(database.db);
  [served, browser] = await Promise.all([serve(world.app), launchChromium()]);
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await served?.close();
  await database?.close();
});

describe('« Pilotage » in the browser', () => {
  it('when the supervisor opens the delays, then the charts are drawn under the app’s own policy, beside their tables', async () => {
    // The harness's JavaScript contexts bypass the CSP to inject axe: this one keeps it, and watches the console.
    const context = await browser.newContext({ baseURL: served.baseUrl, locale: 'fr-FR', timezoneId: 'Europe/Paris' });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    page.on('pageerror', (error) => errors.push(String(error)));
    await logIn(page, supervisorEmail, 'parcours-demo');
    await page.goto(`/pilotage/delais${period}`);
    // The chart's own signal: DSFR Chart's element is defined and has drawn its canvas.
    await page.waitForFunction("customElements.get('bar-chart') !== undefined");
    await expect.poll(() => page.locator('section[data-table-id="stages"] bar-chart canvas').count()).toBeGreaterThan(0);
    const stages = page.locator('section[data-table-id="stages"] .fr-table table');
    await expect.poll(() => stages.locator('tbody tr').count()).toBe(8);
    expect(await stages.locator('tbody tr').first().locator('th').textContent()).toBe('Premier contact → dossier ouvert');
    expect(errors).toEqual([]);
    await screenshot(page, 'pilotage-delais');
    await context.close();
  });

  it('when each report is opened, then axe finds no violation, and the filters and the CSV export work', async () => {
    const watched = await openContext(browser, served.baseUrl, { javaScript: true });
    const { page } = watched;
    await logIn(page, supervisorEmail, 'parcours-demo');
    for (const path of ['/pilotage/delais', '/pilotage/depassements', '/pilotage/non-recours', '/pilotage/activite']) {
      await page.goto(`${path}${period}`);
      await page.waitForFunction("customElements.get('bar-chart') !== undefined");
      await expectNoAxeViolations(page, path);
    }
    await screenshot(page, 'pilotage-activite');

    // A filter: the CAF as partner narrows the referral tables to it.
    await page.goto(`/pilotage/non-recours${period}`);
    await page.getByLabel('Partenaire destinataire').selectOption({ label: 'CAF des Hautes-Alpes' });
    await navigate(page.getByRole('button', { name: 'Appliquer les filtres' }));
    expect(page.url()).toContain('partenaire=');
    const lost = page.locator('section[data-table-id="referrals-lost"] tbody tr:not(.supervision-total) th');
    expect(await lost.allTextContents()).toEqual(['CAF des Hautes-Alpes']);

    // The CSV export through the page's script: the download arrives and the status says so.
    const download = page.waitForEvent('download');
    await page.locator('section[data-table-id="rights-funnel"] a[data-csv-export]').click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/^parcours-non-take-up-rights-funnel-2025-03-2026-02\.csv$/);
    await page.waitForFunction("document.body.dataset.csvExports === '1'");
    expect(await page.locator('#export-rights-funnel').textContent()).toContain('Export prêt');

    // A bad filter: the error summary, and the field it names.
    await page.goto('/pilotage/delais?du=2026-02&au=2025-01');
    expect(await page.locator('.fr-alert--error').textContent()).toContain('Le mois de fin doit suivre le mois de début');
    await expectNoAxeViolations(page, 'pilotage-erreur');
    // The bad filter's page itself answers 400, which the console reports: nothing else may.
    expect(watched.errors.filter((error) => !error.includes('status of 400'))).toEqual([]);
    await watched.context.close();
  });

  it('when JavaScript is off, then the tables are the page and the CSV link downloads directly', async () => {
    const watched = await openContext(browser, served.baseUrl, { javaScript: false });
    const { page } = watched;
    await logIn(page, supervisorEmail, 'parcours-demo');
    await page.goto(`/pilotage/activite${period}`);
    expect(await page.locator('section[data-table-id="activity-month"] tbody tr').count()).toBeGreaterThan(6);
    const download = page.waitForEvent('download');
    await page.locator('section[data-table-id="activity-month"] a[data-csv-export]').click();
    expect((await download).suggestedFilename()).toBe('parcours-activity-activity-month-2025-03-2026-02.csv');
    await screenshot(page, 'pilotage-activite-sans-js');
    await watched.context.close();
  });
});
