import { demoPassword } from '@parcours/demo-territory';
import { createTestDatabase, type TestDatabase } from '@parcours/testing';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseWithThreeSentReferrals, createTerritoryWorld, emails, logInAs } from '../territory-world.ts';
import {
  expectNoAxeViolations,
  launchChromium,
  logIn,
  navigate,
  openContext,
  type ServedApp,
  screenshot,
  serve,
  type WatchedContext,
} from './browser-harness.ts';

/**
 * A consent for three recipients, one of them withdrawn from the consent page in a real browser: the two
 * others still receive their referral and answer it in their own sessions; the withdrawn one is refused.
 */
let database: TestDatabase;
let world: Awaited<ReturnType<typeof createTerritoryWorld>>;
let served: ServedApp;
let browser: Browser;
let setup: Awaited<ReturnType<typeof caseWithThreeSentReferrals>>;

beforeAll(async () => {
  database = await createTestDatabase();
  world = await createTerritoryWorld(database.db, (await database.connectAsService()).db);
  [served, browser] = await Promise.all([serve(world.app), launchChromium()]);
  setup = await caseWithThreeSentReferrals(await logInAs(world.app, emails.reception));
});
afterAll(async () => {
  await browser?.close();
  await served?.close();
  await database?.close();
});

const flash = (page: Page) => page.locator('main .fr-alert--sm[role="status"]').first().textContent();

async function openAs(email: string): Promise<WatchedContext> {
  const watched = await openContext(browser, served.baseUrl, { javaScript: true });
  // Several sessions and axe on a loaded test machine: waits longer than the harness's 5 s.
  await logIn(watched.page, email, demoPassword);
  return watched;
}

async function accept(watched: WatchedContext, referralId: string): Promise<void> {
  const { page } = watched;
  await page.goto(`/partenaire/orientations/${referralId}`);
  await navigate(page.getByRole('button', { name: 'Accepter l’orientation' }));
  expect(await flash(page)).toContain('Orientation acceptée');
}

describe('a consent for three recipients, one withdrawn in the browser', () => {
  it('when the agent withdraws France Travail alone, then the CAF and the CCAS still receive and answer, and France Travail is refused', async () => {
    const agent = await openAs(emails.reception);
    const { page } = agent;
    await page.goto(`/dossiers/${setup.caseId}/consentements`);
    const consent = page.locator(`#consentement-${setup.consentId}`);
    await consent
      .getByRole('group', { name: 'Structures à retirer' })
      .getByLabel('France Travail — agence de Gap')
      .check({ force: true });
    await consent.getByLabel('Canal de la demande').selectOption('in_person');
    await expectNoAxeViolations(page, 'retrait-partiel-formulaire');
    await navigate(consent.getByRole('button', { name: /Retirer/ }));
    expect(await flash(page)).toContain('Retrait enregistré : le reste du consentement demeure en vigueur.');
    const inForce = page.locator('#consentements li').filter({ hasText: 'En vigueur' }).first();
    const inForceText = (await inForce.textContent()) ?? '';
    expect(inForceText).toContain('CAF des Hautes-Alpes');
    expect(inForceText).toContain('CCAS de Gap');
    expect(inForceText).not.toContain('France Travail');
    await screenshot(page, 'retrait-partiel-consentements');

    const [caf, ccas, franceTravail] = await Promise.all([
      openAs(emails.partner),
      openAs(emails.foreign),
      openAs('partenaire.france-travail@demo.parcours.test'),
    ]);
    await accept(caf, setup.sent.caf.id);
    await accept(ccas, setup.sent.ccas.id);
    const refused = await franceTravail.page.goto(`/partenaire/orientations/${setup.sent.franceTravail.id}`);
    expect(refused?.status()).toBe(404);

    // The referrer's page: the two accepted, France Travail's cancelled with the consent.
    await page.goto(`/dossiers/${setup.caseId}/orientations-partenaires`);
    const main = (await page.locator('main').textContent()) ?? '';
    expect(main.match(/Acceptée/g)?.length).toBe(2);
    expect(main).toContain('Annulée');
    await expectNoAxeViolations(page, 'retrait-partiel-orientations');
    for (const watched of [agent, caf, ccas, franceTravail]) {
      expect(watched.errors.filter((error) => !/status of 4\d\d/.test(error))).toEqual([]);
      await watched.context.close();
    }
  });
});
