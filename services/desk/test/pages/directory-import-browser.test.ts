import { systemActor, withActor } from '@parcours/db';
import { demoPassword } from '@parcours/demo-territory';
import { runDirectoryImport } from '@parcours/directory-store';
import { createTestDatabase, type TestDatabase } from '@parcours/testing';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTerritoryWorld, emails } from '../territory-world.ts';
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
 * An administrator hands in a territory's data·inclusion export (its two CSV files) on the import page, in a real
 * browser: the next page shows the import waiting, follows it while the worker runs it (its script reads the
 * progress and reloads the page once the report is ready), then shows the report. A CSV without its structures
 * is refused on the form, in French. axe finds nothing on any of these pages.
 */
let database: TestDatabase;
let served: ServedApp;
let browser: Browser;

beforeAll(async () => {
  database = await createTestDatabase();
  const world = await createTerritoryWorld(database.db, (await database.connectAsService()).db);
  [served, browser] = await Promise.all([serve(world.app), launchChromium()]);
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await served?.close();
  await database?.close();
});

const servicesCsv = [
  'source,structure_id,id,nom,description,date_maj,thematiques,publics,frais,modes_mobilisation,zone_eligibilite',
  'navigateur,navigateur--asso,navigateur--visites,Visites de convivialité,Des bénévoles rendent visite aux personnes isolées.,2026-11-20,"[""remobilisation--lien-social""]","[""seniors""]",gratuit,"[""telephoner""]",{05070}',
  'navigateur,navigateur--asso,navigateur--sans-nom,,Une ligne sans nom.,2026-11-20,,,,,{05070}',
].join('\n');
const structuresCsv = ['source,id,nom,date_maj', 'navigateur,navigateur--asso,Association des Baronnies,2026-11-20'].join('\n');

describe('directory import, in the browser', () => {
  it('when an administrator hands in data·inclusion’s two CSV files, then the page follows the import and shows the report', async () => {
    const { page, context } = await openContext(browser, served.baseUrl, { javaScript: true });
    await logIn(page, emails.admin, demoPassword);
    await page.goto('/annuaire/import');
    await page.locator('main').waitFor();
    await expectNoAxeViolations(page, 'annuaire-import');

    // The services CSV alone is refused on the form: both files of the export are needed.
    await page
      .locator('#import-fichier')
      .setInputFiles({ name: 'services.csv', mimeType: 'text/csv', buffer: Buffer.from(servicesCsv) });
    await navigate(page.getByRole('button', { name: 'Importer' }));
    await expect.poll(() => page.locator('main').textContent()).toContain('joignez aussi le fichier CSV des structures');
    await expectNoAxeViolations(page, 'annuaire-import-erreur');

    await page
      .locator('#import-fichier')
      .setInputFiles({ name: 'services.csv', mimeType: 'text/csv', buffer: Buffer.from(servicesCsv) });
    await page
      .locator('#import-structures')
      .setInputFiles({ name: 'structures.csv', mimeType: 'text/csv', buffer: Buffer.from(structuresCsv) });
    await navigate(page.getByRole('button', { name: 'Importer' }));
    expect(new URL(page.url()).pathname).toMatch(/^\/annuaire\/imports\/[0-9a-f-]{36}$/);
    await page.locator('#import-etat').waitFor();
    expect(await page.locator('#import-etat').textContent()).toContain('Import en attente de traitement…');
    await expectNoAxeViolations(page, 'annuaire-import-en-cours');
    await screenshot(page, 'annuaire-import-en-cours');

    // The worker's step; the page notices by itself and reloads with the report.
    await runDirectoryImport(
      (work) => withActor(database.db, systemActor, work),
      new URL(page.url()).pathname.split('/').pop() as string,
    );
    await page.locator('[data-import-status="done"]').waitFor({ timeout: 60_000 });
    const report = await page.locator('main').textContent();
    expect(report).toContain('Format data·inclusion v1 (CSV) : 1 service enregistré sur 2 ; 1 ligne rejetée');
    expect(report).toContain('nom : champ obligatoire manquant');
    expect(report).toContain('Association des Baronnies : Aucune structure du territoire reconnue');
    await expectNoAxeViolations(page, 'annuaire-import-compte-rendu');
    await screenshot(page, 'annuaire-import-compte-rendu');

    // The imported service, with its source.
    await page.goto('/annuaire/services/navigateur-visites');
    await expect.poll(() => page.locator('main').textContent()).toContain('Source : navigateur, mise à jour le 20 novembre 2026');
    await context.close();
  }, 180_000);
});
