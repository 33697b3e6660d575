import { multidimensionalFormV1 } from '@parcours/assessment';
import { demoPassword } from '@parcours/demo-territory';
import { createTestDatabase, type TestDatabase } from '@parcours/testing';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTerritoryWorld, emails, logInAs, openLaragneCase } from '../territory-world.ts';
import {
  expectNoAxeViolations,
  expectNoPersonDataInUrls,
  launchChromium,
  logIn,
  navigate,
  openContext,
  type ServedApp,
  screenshot,
  serve,
  type WatchedContext,
} from './browser-harness.ts';

let database: TestDatabase;
let world: Awaited<ReturnType<typeof createTerritoryWorld>>;
let served: ServedApp;
let browser: Browser;

beforeAll(async () => {
  database = await createTestDatabase();
  world = await createTerritoryWorld(database.db, (await database.connectAsService()).db);
  [served, browser] = await Promise.all([serve(world.app), launchChromium()]);
});
afterAll(async () => {
  await browser?.close();
  await served?.close();
  await database?.close();
});

const personNames = ['Rey', 'Margaux'];

/**
 * axe runs in the page, so only with JavaScript; the run without JavaScript goes through the same pages
 * (same HTML), checked with it. Every page: no person name in the title, a screenshot.
 */
async function checkPage(page: Page, name: string, javaScript: boolean) {
  if (javaScript) await expectNoAxeViolations(page, name);
  const title = await page.title();
  expect(title).toMatch(/— Parcours$/);
  for (const personName of personNames) expect(title).not.toContain(personName);
  await screenshot(page, `${javaScript ? '' : 'sans-js-'}${name}`);
}

const pathOf = (page: Page) => new URL(page.url()).pathname;

for (const javaScript of [true, false]) {
  const prefix = 'evaluation';
  describe(`an agent assesses a situation and chooses two orientations, ${javaScript ? 'with' : 'without'} JavaScript`, () => {
    let agent: WatchedContext;
    let caseId = '';

    beforeAll(async () => {
      // The case is opened through the API (the pages to open one have their own browser test).
      ({ caseId } = await openLaragneCase(await logInAs(world.app, emails.reception)));
      agent = await openContext(browser, served.baseUrl, { javaScript });
      await logIn(agent.page, emails.reception, demoPassword);
    });

    it('when the agent fills the form section by section, then each « Enregistrer » comes back to its section, and « Terminer » with a gap lists it', async () => {
      const { page } = agent;
      await page.goto(`/dossiers/${caseId}`);
      await navigate(page.getByRole('link', { name: 'Évaluation de la situation' }));
      await checkPage(page, `${prefix}-01-commencer`, javaScript);
      await navigate(page.getByRole('button', { name: 'Commencer l’évaluation' }));
      expect(pathOf(page)).toMatch(/^\/evaluations\/[0-9a-f-]{36}$/);
      await checkPage(page, `${prefix}-02-formulaire`, javaScript);

      await page.locator('#niveau-housing-severe').check({ force: true });
      await page.locator('#urgence-housing-urgent').check({ force: true });
      await page.locator('#note-housing').fill('Congé du bailleur pour fin juin');
      await navigate(page.locator('#section-housing').getByRole('button', { name: 'Enregistrer' }));
      expect(new URL(page.url()).hash).toBe('#section-housing');
      expect(await page.locator('.fr-alert--success').textContent()).toContain('Brouillon enregistré');
      expect(await page.locator('#niveau-housing-severe').isChecked()).toBe(true);

      await page.locator('#niveau-employment-moderate').check({ force: true });
      await navigate(page.getByRole('button', { name: 'Enregistrer et terminer l’évaluation' }));
      const errors = page.locator('#erreurs');
      expect(await errors.textContent()).toContain('Urgence à préciser pour le besoin « emploi »');
      expect(await errors.textContent()).toContain('Domaine non renseigné : Mobilité et transport');
      await checkPage(page, `${prefix}-03-formulaire-erreurs`, javaScript);
      expect(await errors.getByRole('link', { name: 'Urgence à préciser pour le besoin « emploi ».' }).getAttribute('href')).toBe(
        '#urgence-employment-routine',
      );
    });

    it('when every domain is answered and the assessment completed, then the summary shows the needs by urgency and the rights', async () => {
      const { page } = agent;
      for (const domain of multidimensionalFormV1.domains) {
        if (domain.code === 'housing' || domain.code === 'employment') continue;
        await page.locator(`#niveau-${domain.code}-none`).check({ force: true });
      }
      await page.locator('#urgence-employment-soon').check({ force: true });
      await page.locator('#droit-apl').check({ force: true });
      await navigate(page.getByRole('button', { name: 'Enregistrer et terminer l’évaluation' }));
      expect(pathOf(page)).toMatch(/\/synthese$/);
      expect(await page.locator('.fr-alert--success').textContent()).toContain('le dossier passe à l’orientation');
      const needs = await page.locator('section[aria-labelledby="besoins-titre"]').textContent();
      expect(needs?.indexOf('Urgent')).toBeLessThan(needs?.indexOf('À traiter rapidement') ?? 0);
      await checkPage(page, `${prefix}-04-synthese`, javaScript);
    });

    it('when the agent chooses two suggested services, then two draft referrals are listed on the orientation page', async () => {
      const { page } = agent;
      await navigate(page.getByRole('link', { name: 'Voir les orientations proposées' }));
      expect(await page.locator('main').textContent()).toContain('besoin : logement, sévère');
      await checkPage(page, `${prefix}-05-orientations`, javaScript);
      const suggestions = await agent.context.request.get(`/api/v1/cases/${caseId}/orientation-suggestions`);
      const referable = ((await suggestions.json()).suggestions as Array<{ serviceId: string; service: { referable: boolean } }>)
        .filter((suggestion) => suggestion.service.referable)
        .map((suggestion) => suggestion.serviceId);
      for (const serviceId of referable.slice(0, 2)) {
        await navigate(page.locator(`#choisir-suggestion-${serviceId}`));
        expect(new URL(page.url()).hash).toBe('#choix');
        expect(await page.locator('.fr-alert--success').textContent()).toContain('orientation préparée en brouillon');
      }
      const rows = page.locator('#choix tbody tr');
      expect(await rows.count()).toBe(2);
      for (const row of await rows.all()) expect(await row.textContent()).toContain('Brouillon');
      await checkPage(page, `${prefix}-06-orientations-choisies`, javaScript);
    });

    it('when the agent looks a service up in the directory, then its page shows how to reach it; no person data went in a URL', async () => {
      const { page } = agent;
      await navigate(
        page.getByRole('navigation', { name: 'Menu principal' }).getByRole('link', { name: 'Annuaire des services' }),
      );
      await page.getByLabel('Bouquet de services').selectOption('hebergement-logement');
      await page.getByLabel('Commune desservie').selectOption('05070');
      await navigate(page.getByRole('button', { name: 'Rechercher' }));
      expect(page.url()).toContain('bouquet=hebergement-logement');
      await checkPage(page, `${prefix}-07-annuaire`, javaScript);
      await navigate(page.locator('main .fr-card__title a').first());
      expect(await page.getByRole('heading', { name: 'Lieux et horaires' }).count()).toBe(1);
      await checkPage(page, `${prefix}-08-fiche-service`, javaScript);
      expectNoPersonDataInUrls(agent.urls, [...personNames, 'bailleur']);
      expect(agent.errors.filter((error) => !/status of 4\d\d/.test(error))).toEqual([]);
      await agent.context.close();
    });
  });
}
