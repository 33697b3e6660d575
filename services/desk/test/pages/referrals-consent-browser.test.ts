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
let caseId = '';
let referralId = '';

beforeAll(async () => {
  database = await createTestDatabase();
  world = await createTerritoryWorld(database.db, (await database.connectAsService()).db);
  [served, browser] = await Promise.all([serve(world.app), launchChromium()]);
  // The case, its completed assessment step and the choice of the CAF go through the API: their pages have
  // their own browser test. The choice creates the draft referral these pages send.
  const api = await logInAs(world.app, emails.reception);
  ({ caseId } = await openLaragneCase(api, ['START_ASSESSMENT', 'COMPLETE_ASSESSMENT']));
  const chosen = await api
    .post(`/api/v1/cases/${caseId}/orientation-choices`)
    .send({ serviceId: 'caf-acces-droits', reasonCode: 'person_preference', reasonText: 'Dossier CAF déjà ouvert' })
    .expect(201);
  referralId = chosen.body.referral.id;
});
afterAll(async () => {
  await browser?.close();
  await served?.close();
  await database?.close();
});

const personNames = ['Rey', 'Margaux'];

/** Every page: axe (0 violations), no person name in the title, a screenshot. */
async function checkPage(page: Page, name: string) {
  await expectNoAxeViolations(page, name);
  const title = await page.title();
  expect(title).toMatch(/— Parcours$/);
  for (const personName of personNames) expect(title).not.toContain(personName);
  await screenshot(page, name);
}

const mainText = async (page: Page) => (await page.locator('main').textContent()) ?? '';
/** The message a redirect-after-POST page shows once. */
const flash = (page: Page) => page.locator('main .fr-alert--sm[role="status"]').first().textContent();

describe('a referral travels to a partner under the person’s consent, in two browser sessions', () => {
  let agent: WatchedContext;
  let partner: WatchedContext;
  let linkCode = '';

  beforeAll(async () => {
    [agent, partner] = await Promise.all([
      openContext(browser, served.baseUrl, { javaScript: true }),
      openContext(browser, served.baseUrl, { javaScript: true }),
    ]);
    // Two sessions, axe on every page and a loaded test machine: waits longer than the harness's 5 s.
    await Promise.all([logIn(agent.page, emails.reception, demoPassword), logIn(partner.page, emails.partner, demoPassword)]);
  });

  it('when the agent sends the draft without consent, then the page says what is not covered; after collecting the consent, it is sent', async () => {
    const { page } = agent;
    await page.goto(`/dossiers/${caseId}`);
    await navigate(page.getByRole('link', { name: 'Orientations envoyées, réponses des partenaires et référent' }));
    expect(await mainText(page)).toContain('Brouillon');
    await checkPage(page, 'partage-01-orientations-brouillon');

    await navigate(page.getByRole('button', { name: 'Envoyer à CAF des Hautes-Alpes' }));
    const refused = (await page.locator('#non-couvert').textContent()) ?? '';
    expect(refused).toContain('la structure destinataire : CAF des Hautes-Alpes');
    expect(refused).toContain('la finalité : Ouverture de droits');
    await checkPage(page, 'partage-02-envoi-refuse');

    await navigate(page.getByRole('link', { name: 'Recueillir le consentement de la personne pour ce partage' }));
    expect(await page.locator(`#destinataire-${world.organisationIds.caf}`).isChecked()).toBe(true);
    const notice = (await page.locator('#notice-texte').textContent()) ?? '';
    expect(notice).toContain('- CAF des Hautes-Alpes');
    expect(notice).toContain('Pour : ouvrir vos droits.');
    await checkPage(page, 'partage-03-consentement');
    for (const field of ['infoQuoi', 'infoQui', 'infoMoyens', 'infoSecurite']) {
      await page.locator(`#consentement-${field}`).check({ force: true });
    }
    await page.locator('#consentement-methode-oral_attested').check({ force: true });
    await navigate(page.getByRole('button', { name: 'Enregistrer le consentement' }));
    expect(new URL(page.url()).pathname).toBe(`/dossiers/${caseId}/orientations-partenaires`);
    expect(await flash(page)).toContain('Consentement enregistré');

    await navigate(page.getByRole('button', { name: 'Envoyer à CAF des Hautes-Alpes' }));
    expect(await flash(page)).toContain('Orientation envoyée');
    expect(await page.locator(`#orientation-${referralId}`).textContent()).toContain('Envoyée');
    await checkPage(page, 'partage-04-orientation-envoyee');
  });

  it('when the partner opens its inbox, then it reads the covered categories only, accepts under conditions and sets an appointment', async () => {
    const { page } = partner;
    await navigate(page.getByRole('navigation', { name: 'Menu principal' }).getByRole('link', { name: 'Orientations reçues' }));
    expect(await mainText(page)).toContain('Nouvelle');
    await checkPage(page, 'partage-05-orientations-recues');

    await navigate(page.locator(`#ouvrir-${referralId}`));
    const shared = (await page.locator('section[aria-labelledby="partage-titre"]').textContent()) ?? '';
    expect(shared).toContain('Rey');
    expect(shared).toContain('Je dois quitter mon logement');
    expect(shared).not.toContain('Santé et autonomie');
    expect(shared).not.toContain('Évaluation (hors santé)');
    await checkPage(page, 'partage-06-orientation-recue');

    await page.locator('#reponse-ACCEPT-conditions').fill('Apporter le dernier avis d’imposition');
    await navigate(page.getByRole('button', { name: 'Accepter l’orientation' }));
    expect(await flash(page)).toContain('Orientation acceptée');
    await page.locator('#reponse-SET_APPOINTMENT-date').fill('2026-03-12');
    await page.locator('#reponse-SET_APPOINTMENT-heure').fill('10:00');
    await page.locator('#reponse-SET_APPOINTMENT-mode-visio').check({ force: true });
    await page.locator('#reponse-SET_APPOINTMENT-pointAccueil').selectOption({ label: 'France Services de Laragne-Montéglin' });
    await navigate(page.getByRole('button', { name: 'Fixer le rendez-vous' }));
    expect(await flash(page)).toContain('Rendez-vous enregistré');
    expect(await mainText(page)).toContain(
      'Rendez-vous le 12 mars 2026 à 10:00 — En visio depuis France Services de Laragne-Montéglin',
    );
    await checkPage(page, 'partage-07-rendez-vous-fixe');
  });

  it('when the agent reloads, then the answers are there; a link for a partner without an account opens through its fragment', async () => {
    const { page } = agent;
    await page.reload();
    const referral = (await page.locator(`#orientation-${referralId}`).textContent()) ?? '';
    expect(referral).toContain('Rendez-vous fixé');
    expect(referral).toContain('Acceptée sous conditions : « Apporter le dernier avis d’imposition »');
    expect(referral).toContain('Rendez-vous le 12 mars 2026 à 10:00 — En visio depuis France Services de Laragne-Montéglin');
    await checkPage(page, 'partage-08-reponses-vues');

    await navigate(page.getByRole('button', { name: 'Créer un lien pour un partenaire sans compte' }));
    const url = await page.locator('#lien-partenaire').inputValue();
    expect(url).toMatch(/\/partenaire\/lien#[0-9a-f-]{36}\./);
    linkCode = url.split('#')[1] ?? '';
    await checkPage(page, 'partage-09-lien-cree');

    // The partner's browser opens the link: the page's script posts the fragment's code in a form body.
    const other = partner.page;
    await other.goto(url);
    await expect.poll(() => other.getByRole('heading', { level: 1 }).textContent()).toBe('Orientation reçue');
    expect(other.url()).not.toContain('#');
    expect(await mainText(other)).toContain('Fixer le rendez-vous');
    expect(await mainText(other)).not.toContain('Réorienter');
    await checkPage(other, 'partage-10-lien-partenaire');
  });

  it('when the consent is withdrawn, then the partner’s next page load is refused', async () => {
    const { page } = agent;
    await page.goto(`/dossiers/${caseId}/consentements`);
    const consent = page.locator('#consentements li').first();
    await consent.getByLabel('Canal de la demande').selectOption('phone');
    // No part ticked: the whole consent is withdrawn.
    await navigate(consent.getByRole('button', { name: /^Retirer/ }));
    expect(await flash(page)).toContain('Consentement retiré');
    expect(await page.locator('#consentements li').first().textContent()).toContain('La personne, par téléphone');
    await checkPage(page, 'partage-11-consentement-retire');

    const response = await partner.page.goto(`/partenaire/orientations/${referralId}`);
    expect(response?.status()).toBe(404);
    expect(await partner.page.getByRole('heading', { level: 1 }).textContent()).toBe('Page introuvable');
    expect(await mainText(partner.page)).toContain('le consentement de la personne ne couvre plus votre structure');
    await checkPage(partner.page, 'partage-12-acces-refuse');

    const urls = [...agent.urls, ...partner.urls];
    expectNoPersonDataInUrls(urls, [...personNames, 'logement', 'imposition']);
    // The link's code is in no URL the browser asked for (the fragment is never sent).
    for (const asked of urls) expect(asked.includes(linkCode.split('.')[2] ?? linkCode)).toBe(false);
    const unexpected = (errors: string[]) => errors.filter((error) => !/status of 4\d\d/.test(error));
    expect(unexpected(agent.errors)).toEqual([]);
    expect(unexpected(partner.errors)).toEqual([]);
    await Promise.all([agent.context.close(), partner.context.close()]);
  });
});
