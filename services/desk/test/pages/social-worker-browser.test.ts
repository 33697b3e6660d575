import { join } from 'node:path';
import { demoPassword } from '@parcours/demo-territory';
import { createTestDatabase, type TestDatabase } from '@parcours/testing';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTerritoryWorld, emails, logInAs, openLaragneCase } from '../territory-world.ts';
import {
  expectNoAxeViolations,
  launchChromium,
  logIn,
  navigate,
  openContext,
  type ServedApp,
  screenshot,
  screenshotsDir,
  serve,
} from './browser-harness.ts';

/**
 * What a social worker reads, in a real browser at 1,280 pixels: the commune typed by name, the assessment's
 * situation and its rights « suggéré » / « à vérifier », the audit in French with the search of a person by
 * name, the partner's choice of mails. axe finds nothing; no page is wider than the screen.
 */
let database: TestDatabase;
let served: ServedApp;
let browser: Browser;
let assessmentId = '';

beforeAll(async () => {
  database = await createTestDatabase();
  const world = await createTerritoryWorld(database.db, (await database.connectAsService()).db);
  const reception = await logInAs(world.app, emails.reception);
  const { caseId } = await openLaragneCase(reception, []);
  assessmentId = (await reception.post(`/api/v1/cases/${caseId}/assessments`).expect(201)).body.id as string;
  [served, browser] = await Promise.all([serve(world.app), launchChromium()]);
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await served?.close();
  await database?.close();
});

const widerThanScreen = () => {
  const root = (globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }).document
    .documentElement;
  return root.scrollWidth > root.clientWidth;
};

describe('what a social worker reads, in the browser', () => {
  it('when the reception agent types a commune’s name and fills the situation, then the rights say « suggéré » or « à vérifier », in French', async () => {
    const { page, context } = await openContext(browser, served.baseUrl, { javaScript: true });
    await logIn(page, emails.reception, demoPassword);
    await page.goto('/personnes');
    await page.getByLabel('Nom de famille').first().fill('Aubert');
    await page.getByLabel('Commune de résidence').first().fill('laragne montéglin');
    await navigate(page.getByRole('button', { name: 'Rechercher' }));
    await expect.poll(() => page.getByLabel('Commune de résidence').first().inputValue()).toBe('Laragne-Montéglin (05070)');
    await expectNoAxeViolations(page, 'personnes-commune-par-nom');

    await page.goto(`/evaluations/${assessmentId}`);
    await page.locator('main').waitFor();
    await page.locator('#situation-household-alone').check({ force: true });
    await page.locator('#situation-activity-retired').check({ force: true });
    await page.locator('#situation-resources-modest').check({ force: true });
    await page.locator('#niveau-autonomy-severe').check({ force: true });
    await page.locator('#urgence-autonomy-urgent').check({ force: true });
    await navigate(page.locator('#section-situation').getByRole('button', { name: 'Enregistrer' }));
    // Margaux Rey was born in 1979: APA (60 and over) is not suggested; the rights of her needs that fit are.
    const rights = page.locator('#section-droits');
    await expect.poll(() => rights.textContent()).toContain('PCH — suggéré');
    expect(await rights.textContent()).not.toContain('APA — suggéré');
    expect(await page.evaluate(widerThanScreen)).toBe(false);
    await expectNoAxeViolations(page, 'evaluation-situation-droits');
    await screenshot(page, 'evaluation-situation-droits');
    await page.locator('#section-droits').screenshot({ path: join(screenshotsDir, 'evaluation-droits.png') });
    await context.close();
  }, 120_000);

  it('when the supervisor reads the audit and looks for a person by name, then agents, actions and structures read in French and her access log opens', async () => {
    const { page, context } = await openContext(browser, served.baseUrl, { javaScript: true });
    await logIn(page, emails.supervisor, demoPassword);
    await page.goto('/audit');
    await page.locator('main').waitFor();
    expect(await page.locator('main').textContent()).toMatch(/a consulté|a ouvert|a enregistré/);
    expect(await page.evaluate(widerThanScreen)).toBe(false);
    await expectNoAxeViolations(page, 'audit');
    await page.getByLabel('Nom de famille').fill('rey');
    await navigate(page.getByRole('button', { name: 'Chercher' }));
    await navigate(page.getByRole('link', { name: /^REY Margaux/ }).first());
    expect(new URL(page.url()).pathname).toMatch(/^\/personnes\/[0-9a-f-]{36}\/acces$/);
    await expect.poll(() => page.locator('main').textContent()).toContain('a consulté');
    await expectNoAxeViolations(page, 'qui-a-consulte');
    await screenshot(page, 'audit-qui-a-consulte');
    await context.close();
  }, 120_000);

  it('when the partner chooses the half-day digest, then the inbox says so and keeps the choice', async () => {
    const { page, context } = await openContext(browser, served.baseUrl, { javaScript: true });
    await logIn(page, emails.partner, demoPassword);
    await page.goto('/partenaire/orientations');
    await page.locator('#courriels-digest').check({ force: true });
    await navigate(page.getByRole('button', { name: 'Enregistrer ce choix' }));
    await expect.poll(() => page.locator('main').textContent()).toContain('vous recevrez un récapitulatif à 8 h et à 13 h');
    expect(await page.locator('#courriels-digest').isChecked()).toBe(true);
    await expectNoAxeViolations(page, 'partenaire-courriels');
    await context.close();
  }, 120_000);
});
