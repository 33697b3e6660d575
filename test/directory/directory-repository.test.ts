import { directoryServices } from '@parcours/db';
import { communesOf, demoDirectory } from '@parcours/demo-territory';
import { exportDirectory } from '@parcours/directory';
import { importDirectory, readDirectory } from '@parcours/directory-store';
import { availableBackends, createFixtureTerritory, createTestDatabase, type TestDatabase } from '@parcours/testing';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

describe.each(availableBackends())('directory in the database on %s', (backend) => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase({ backend });
  });
  afterAll(async () => {
    await database?.close();
  });

  it('when the demo directory is imported, then every service is written and linked to the territory’s organisations of the same name', async () => {
    const fixture = await createFixtureTerritory(database.db);
    const result = await importDirectory(database.db, exportDirectory(demoDirectory), {
      territoryId: fixture.territoryId,
      knownCommunes: communesOf('05').map((commune) => commune.code),
    });
    expect(result.rejected).toEqual([]);
    expect(result.written).toBe(demoDirectory.length);
    const [caf] = await database.db.select().from(directoryServices).where(eq(directoryServices.id, 'caf-acces-droits'));
    expect(caf?.organisationId).toBe(fixture.partnerOrganisationId);
    expect(caf?.bundles).toEqual(['prestations-sociales']);
    const stored = await readDirectory(database.db, { territoryId: fixture.territoryId });
    expect(stored.map((row) => row.service)).toEqual([...demoDirectory].sort((a, b) => (a.id < b.id ? -1 : 1)));
  });

  it('when a file with bad rows is imported twice, then good rows are upserted once and bad rows reported each time', async () => {
    const [first, second] = demoDirectory;
    if (!first || !second) throw new Error('the demo directory is empty');
    const file = [
      { ...first, name: 'Nom modifié' },
      { ...second, waitingTimeDays: 'vite' },
    ];
    const once = await importDirectory(database.db, file);
    const twice = await importDirectory(database.db, file);
    for (const result of [once, twice]) {
      expect(result.written).toBe(1);
      expect(result.rejected).toEqual([
        { index: 1, id: second.id, reasons: ['waitingTimeDays : délai d’attente invalide (nombre entier de jours ou null)'] },
      ]);
    }
    const rows = await database.db
      .select({ name: directoryServices.name })
      .from(directoryServices)
      .where(eq(directoryServices.id, first.id));
    expect(rows).toEqual([{ name: 'Nom modifié' }]);
  });

  it('when a file has no valid row, then nothing is written', async () => {
    const result = await importDirectory(database.db, { services: [{ id: 'x' }] });
    expect(result.written).toBe(0);
    expect(result.rejected[0]?.reasons.length).toBeGreaterThan(3);
  });
});
