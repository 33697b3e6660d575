import { createTestDatabase, type TestDatabase } from '@parcours/testing';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDeskWorld, createTestApp, type DeskWorld } from '../harness.ts';
import {
  expectNoPersonDataInUrls,
  launchChromium,
  logIn,
  navigate,
  openContext,
  type ServedApp,
  screenshot,
  serve,
} from './browser-harness.ts';

let database: TestDatabase;
let world: DeskWorld;
let served: ServedApp;
let browser: Browser;

beforeAll(async () => {
  database = await createTestDatabase();
  world = await createDeskWorld(database.db);
  // The production login role (non-owner, under row-level security), as every page test runs.
  const { app } = createTestApp((await database.connectAsService()).db);
  [served, browser] = await Promise.all([serve(app), launchChromium()]);
});
afterAll(async () => {
  await browser?.close();
  await served?.close();
  await database?.close();
});

const mainMenu = (page: Page) => page.getByRole('navigation', { name: 'Menu principal' });
const diagramCurrent = (page: Page) => page.locator('svg .jd-current:not(.jd-compound) .jd-label').first().textContent();
const stage = (page: Page) => page.locator('h1 + p .fr-badge').textContent();

// Every core flow with JavaScript disabled: plain forms, POST then redirect. (axe needs JavaScript in
// the page; it runs on the same pages in desk-browser.test.ts.) DSFR draws its own radio buttons over
// the native ones: `check({ force: true })` ticks the native input.
describe('desk in the browser, without JavaScript', () => {
  it('when an agent logs in, searches, creates a person, opens a case and starts the assessment, then the timeline and the diagram follow', async () => {
    const { context, page, urls } = await openContext(browser, served.baseUrl, { javaScript: false });
    try {
      await logIn(page, world.agentEmail, 'wrong');
      expect(await page.locator('.fr-alert--error').textContent()).toContain('Adresse e-mail ou mot de passe incorrect');
      await logIn(page, world.agentEmail);
      expect(new URL(page.url()).pathname).toBe('/mon-travail');
      await screenshot(page, 'sans-js-01-mon-travail');

      await navigate(mainMenu(page).getByRole('link', { name: 'Trouver ou créer une personne' }));
      await page.locator('#recherche-familyName').fill('martin');
      await page.locator('#recherche-givenNames').fill('camile');
      await navigate(page.getByRole('button', { name: 'Rechercher' }));
      // One typo away and without accents: the known person comes first, before any creation.
      expect(await page.getByRole('row', { name: /MARTIN Camille/ }).count()).toBe(1);
      await screenshot(page, 'sans-js-02-doublons');
      await page.locator('#creation-givenNames').fill('Camille Élise');
      await navigate(page.getByRole('button', { name: 'Créer la personne' }));
      expect(await page.locator('#creation-confirmNoDuplicate-messages').textContent()).toContain(
        'Vérifiez les personnes déjà connues',
      );
      await page.locator('#creation-confirmNoDuplicate').check({ force: true });
      await navigate(page.getByRole('button', { name: 'Créer la personne' }));
      expect(new URL(page.url()).pathname).toBe('/dossiers/nouveau');
      expect(await page.locator('main').textContent()).toContain('Camille Élise MARTIN');

      await page.getByLabel('Téléphone').check({ force: true });
      await page.getByLabel('Demande exprimée').fill('On m’a coupé l’électricité');
      await navigate(page.getByRole('button', { name: 'Ouvrir le dossier' }));
      expect(new URL(page.url()).pathname).toMatch(/^\/dossiers\/[0-9a-f-]{36}$/);
      expect(await stage(page)).toContain('Accueil');
      expect(await diagramCurrent(page)).toBe('Accueil');
      await screenshot(page, 'sans-js-03-dossier-accueil');

      await navigate(page.getByRole('button', { name: 'Commencer l’évaluation' }));
      expect(await stage(page)).toContain('Évaluation');
      expect(await page.locator('.desk-timeline > li').first().textContent()).toContain('Évaluation commencée');
      expect(await diagramCurrent(page)).toBe('Évaluation');
      expect(await page.locator('svg .jd-transition.jd-taken').count()).toBeGreaterThan(0);
      await screenshot(page, 'sans-js-04-dossier-evaluation');

      await navigate(mainMenu(page).getByRole('link', { name: 'Contact rapide' }));
      await page.getByLabel('Courriel').check({ force: true });
      await page.getByLabel('Sujet de la demande').selectOption('prestations-sociales');
      await page.getByLabel('Transformé en dossier').check({ force: true });
      await navigate(page.getByRole('button', { name: 'Enregistrer le contact' }));
      expect(new URL(page.url()).pathname).toBe('/personnes');
      expect(await page.locator('.fr-alert--success').textContent()).toContain('Contact enregistré');

      await navigate(page.getByRole('button', { name: 'Se déconnecter' }));
      expect(await page.locator('main').textContent()).toContain('Vous êtes déconnecté');
      expectNoPersonDataInUrls(urls, ['martin', 'camille', 'camile', 'électricité']);
    } finally {
      await context.close();
    }
  });

  it('when two agents without JavaScript act on the same case, then the later one sees the change and nothing is overwritten', async () => {
    const first = await openContext(browser, served.baseUrl, { javaScript: false });
    const second = await openContext(browser, served.baseUrl, { javaScript: false });
    try {
      await logIn(first.page, world.agentEmail);
      await navigate(mainMenu(first.page).getByRole('link', { name: 'Trouver ou créer une personne' }));
      await first.page.locator('#recherche-familyName').fill('Martin');
      await first.page.locator('#recherche-givenNames').fill('Camille');
      await navigate(first.page.getByRole('button', { name: 'Rechercher' }));
      await navigate(first.page.getByRole('link', { name: /Ouvrir un dossier pour MARTIN Camille$/ }));
      await first.page.getByLabel('Accueil physique').check({ force: true });
      await first.page.getByLabel('Demande exprimée').fill('Une aide pour la cantine');
      await navigate(first.page.getByRole('button', { name: 'Ouvrir le dossier' }));
      const casePath = new URL(first.page.url()).pathname;

      await logIn(second.page, world.twoOrganisationsEmail);
      await second.page.getByLabel('France Services de Laragne-Montéglin').check({ force: true });
      await navigate(second.page.getByRole('button', { name: 'Agir pour cette structure' }));
      await second.page.goto(casePath);

      await navigate(first.page.getByRole('button', { name: 'Commencer l’évaluation' }));
      expect(await stage(first.page)).toContain('Évaluation');

      // The second agent still has revision 0 in their page and tries the same step.
      await navigate(second.page.getByRole('button', { name: 'Commencer l’évaluation' }));
      const conflict = second.page.locator('#conflit');
      expect(await conflict.textContent()).toContain('Votre action « Commencer l’évaluation » n’a pas été enregistrée');
      expect(await conflict.textContent()).toContain('Évaluation commencée');
      expect(await conflict.getByRole('button').count()).toBe(0);
      expect(await stage(second.page)).toContain('Évaluation');
      await screenshot(second.page, 'sans-js-05-conflit');

      await first.page.reload();
      expect(await first.page.locator('.desk-timeline > li').count()).toBe(2);
    } finally {
      await first.context.close();
      await second.context.close();
    }
  });
});
