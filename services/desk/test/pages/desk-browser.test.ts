import { createTestDatabase, type TestDatabase } from '@parcours/testing';
import type { Express } from 'express';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDeskWorld, createTestApp, type DeskWorld, logIn as logInToApi } from '../harness.ts';
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
let world: DeskWorld;
let served: ServedApp;
let browser: Browser;
let app: Express;

beforeAll(async () => {
  database = await createTestDatabase();
  world = await createDeskWorld(database.db);
  // The production login role (non-owner, under row-level security), as every page test runs.
  ({ app } = createTestApp((await database.connectAsService()).db));
  [served, browser] = await Promise.all([serve(app), launchChromium()]);
});
afterAll(async () => {
  await browser?.close();
  await served?.close();
  await database?.close();
});

/** Every page is checked the same way: axe, no person name in the title, a screenshot. */
async function checkPage(page: Page, name: string, personNames: readonly string[] = ['Durand', 'Léa', 'Martin']) {
  await expectNoAxeViolations(page, name);
  const title = await page.title();
  expect(title).toMatch(/— Parcours$/);
  for (const personName of personNames) expect(title).not.toContain(personName);
  await screenshot(page, name);
}

const mainMenu = (page: Page) => page.getByRole('navigation', { name: 'Menu principal' });
const diagramCurrent = (page: Page) => page.locator('svg .jd-current:not(.jd-compound) .jd-label').first().textContent();

/** A browser of its own for one test, logged in as the fixture's reception agent (unless `loggedIn` is false). */
async function agentBrowser(loggedIn = true): Promise<WatchedContext> {
  const watched = await openContext(browser, served.baseUrl, { javaScript: true });
  if (loggedIn) await logIn(watched.page, world.agentEmail);
  return watched;
}

/** A case of the fixture's person in assessment, opened through the API: what a test about the case page starts from. */
async function caseInAssessment(): Promise<string> {
  const api = await logInToApi(app, world.agentEmail);
  const opened = await api
    .post('/api/v1/cases')
    .send({
      channel: 'phone',
      expressedRequest: 'Une demande pour deux agents',
      members: [{ personId: world.personId, role: 'primary' }],
    })
    .expect(201);
  await api
    .post(`/api/v1/cases/${opened.body.id}/events`)
    .send({ event: { type: 'START_ASSESSMENT' }, expectedRevision: opened.body.revision })
    .expect(200);
  return `/dossiers/${opened.body.id}`;
}

// DSFR draws its own radio buttons over the native ones, which stay in the page but out of sight:
// `check({ force: true })` ticks the native input, as a click on the drawn one does. Each test has a browser of its
// own and sets up what it needs: a failure in one leaves the others to run and say what they see.
describe('desk in the browser, with JavaScript', () => {
  it('when an agent logs in with a wrong password, then the login page says so; with the right one, Mon travail opens', async () => {
    const agent = await agentBrowser(false);
    const { page } = agent;
    await page.goto('/connexion');
    await checkPage(page, '01-connexion');
    await logIn(page, world.agentEmail, 'not the password');
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('Adresse e-mail ou mot de passe incorrect');
    await checkPage(page, '02-connexion-erreur');
    await logIn(page, world.agentEmail);
    expect(new URL(page.url()).pathname).toBe('/mon-travail');
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Mon travail');
    await checkPage(page, '03-mon-travail-vide');
    await agent.context.close();
  });

  it('when the agent searches, creates a person, opens a case and starts the assessment, then the timeline and the diagram follow', async () => {
    const agent = await agentBrowser();
    const { page } = agent;
    await navigate(mainMenu(page).getByRole('link', { name: 'Trouver ou créer une personne' }));
    await checkPage(page, '04-personnes-recherche');
    await page.locator('#recherche-familyName').fill('Durand');
    await page.locator('#recherche-givenNames').fill('Léa');
    await navigate(page.getByRole('button', { name: 'Rechercher' }));
    await expect.poll(() => page.getByText('Aucune personne connue de votre structure').count()).toBe(1);
    await checkPage(page, '05-personnes-resultats');
    expect(await page.locator('#creation-familyName').inputValue()).toBe('Durand');
    await page.locator('#creation-birthDate').fill('1991-06-30');
    await navigate(page.getByRole('button', { name: 'Créer la personne' }));
    await page.waitForURL(/\/dossiers\/nouveau\?personne=/);
    await checkPage(page, '06-ouvrir-un-dossier');
    await page.getByLabel('Accueil physique').check({ force: true });
    await page.getByLabel('Demande exprimée').fill('Je voudrais savoir si j’ai droit à une aide pour le chauffage');
    await navigate(page.getByRole('button', { name: 'Ouvrir le dossier' }));
    await page.waitForURL(/\/dossiers\/[0-9a-f-]{36}$/);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain('Léa DURAND');
    expect(await diagramCurrent(page)).toBe('Accueil');
    expect(await page.locator('.desk-timeline > li').count()).toBe(1);
    await checkPage(page, '07-dossier-accueil');

    await navigate(page.getByRole('button', { name: 'Commencer l’évaluation' }));
    await page.waitForLoadState('load');
    await expect.poll(() => page.getByText('Étape : Évaluation').count()).toBe(1);
    expect(await page.locator('.desk-timeline > li').count()).toBe(2);
    expect(await page.locator('.desk-timeline > li').first().textContent()).toContain('Évaluation commencée');
    expect(await page.locator('.desk-timeline > li').first().textContent()).toContain(
      'Agent d’accueil, France Services de Laragne-Montéglin',
    );
    expect(await diagramCurrent(page)).toBe('Évaluation');
    expect(await page.locator('svg .jd-transition.jd-taken').count()).toBeGreaterThan(0);
    await checkPage(page, '08-dossier-evaluation');

    await navigate(mainMenu(page).getByRole('link', { name: 'Mon travail' }));
    await expect.poll(() => page.getByRole('heading', { name: /Évaluation/ }).count()).toBe(1);
    expect(await page.getByRole('link', { name: 'DURAND Léa' }).count()).toBe(1);
    await checkPage(page, '09-mon-travail');
    expectNoPersonDataInUrls(agent.urls, ['Durand', 'Léa', 'chauffage']);
    await agent.context.close();
  });

  it('when a quick contact is recorded, then the page confirms it and counts it', async () => {
    const agent = await agentBrowser();
    const { page } = agent;
    await navigate(mainMenu(page).getByRole('link', { name: 'Contact rapide' }));
    await checkPage(page, '10-contact-rapide');
    await page.getByLabel('Téléphone').check({ force: true });
    await page.getByLabel('Sujet de la demande').selectOption('hebergement-logement');
    await page.getByLabel('Répondu sur place').check({ force: true });
    await navigate(page.getByRole('button', { name: 'Enregistrer le contact' }));
    await expect.poll(() => page.locator('.fr-alert--success').textContent()).toContain('Contact enregistré');
    expect(await page.locator('main').textContent()).toMatch(/aujourd’hui par votre structure : 1/);
    await checkPage(page, '11-contact-enregistre');
    await agent.context.close();
  });

  it('when two agents act on the same case, then the second sees what changed and retries on purpose', async () => {
    const casePath = await caseInAssessment();
    const agent = await agentBrowser();
    const other = await openContext(browser, served.baseUrl, { javaScript: true });
    try {
      const second = other.page;
      await logIn(second, world.twoOrganisationsEmail);
      expect(new URL(second.url()).pathname).toBe('/structure');
      await checkPage(second, '12-choisir-structure');
      await second.getByLabel('France Services de Laragne-Montéglin').check({ force: true });
      await navigate(second.getByRole('button', { name: 'Agir pour cette structure' }));
      expect(new URL(second.url()).pathname).toBe('/mon-travail');

      await agent.page.goto(casePath);
      await second.goto(casePath);
      await navigate(agent.page.getByRole('button', { name: 'Terminer l’évaluation' }));
      await expect.poll(() => agent.page.getByText('Étape : Orientation').count()).toBe(1);

      await second.getByLabel('Motif de suspension').selectOption('person_request');
      await navigate(second.getByRole('button', { name: 'Suspendre' }));
      const conflict = second.locator('#conflit');
      await expect.poll(() => conflict.count()).toBe(1);
      expect(await conflict.textContent()).toContain('Votre action « Suspendre » n’a pas été enregistrée');
      expect(await conflict.textContent()).toContain('Évaluation terminée');
      expect(await conflict.textContent()).toContain('Agent d’accueil');
      expect(await diagramCurrent(second)).toBe('Orientation');
      await checkPage(second, '13-dossier-conflit');

      await navigate(conflict.getByRole('button', { name: 'Suspendre' }));
      await expect.poll(() => second.getByText('Étape : Suspendu').count()).toBe(1);
      expect(await second.locator('.desk-timeline > li').first().textContent()).toContain(
        'Parcours suspendu — À la demande de la personne',
      );
      expect(await second.locator('.desk-timeline > li').first().textContent()).toContain('Agent à deux structures');
      await checkPage(second, '14-dossier-suspendu');
    } finally {
      await other.context.close();
      await agent.context.close();
    }
  });

  it('when a page does not exist, then a French error page says so, and logging out says so too', async () => {
    const agent = await agentBrowser();
    const { page } = agent;
    await page.goto('/dossiers/00000000-0000-4000-8000-000000000000');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Page introuvable');
    await checkPage(page, '15-introuvable');
    // The 404 answer is logged by the browser as a failed load; nothing else may be.
    expect(agent.errors.filter((error) => !/status of 4\d\d/.test(error))).toEqual([]);
    await navigate(page.getByRole('button', { name: 'Se déconnecter' }));
    await expect.poll(() => page.getByText('Vous êtes déconnecté').count()).toBe(1);
    await agent.context.close();
  });
});
