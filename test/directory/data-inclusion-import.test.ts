/**
 * A territory's data·inclusion file imported as the worker imports it (stored, then read, checked and written in
 * batches): 20,000 services with the mistakes real files carry give exactly the report written out by the
 * generator; the same file as data·inclusion's two CSV files gives the same report; a re-import updates and
 * never duplicates, and names what the source no longer lists.
 */
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { directoryImports, directoryServices, organisations, systemActor, territories, withActor } from '@parcours/db';
import {
  createDirectoryImport,
  franceZones,
  type InTransaction,
  readDirectoryImport,
  runDirectoryImport,
} from '@parcours/directory-store';
import { createTestDatabase, type TestDatabase } from '@parcours/testing';
import { and, count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDataInclusionFile, serviceIdOf, toDataInclusionCsv } from './data-inclusion-generator.ts';

const require = createRequire(import.meta.url);
let database: TestDatabase;
let territoryCount = 0;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

/** A territory covering the whole Hautes-Alpes, with one organisation named like one of the file's structures. */
async function territoryOfHautesAlpes(): Promise<{ territoryId: string; organisationId: string }> {
  territoryCount += 1;
  const territoryId = `test-di-${process.pid}-${territoryCount}`;
  await database.db.insert(territories).values({
    id: territoryId,
    name: 'Hautes-Alpes (import data·inclusion)',
    departementCode: '05',
    communes: [...franceZones.communesOfDepartement('05')],
  });
  const [organisation] = await database.db
    .insert(organisations)
    .values({ territoryId, name: 'Structure d’accompagnement n° 1', kind: 'association', communesServed: ['05070'] })
    .returning({ id: organisations.id });
  return { territoryId, organisationId: organisation?.id as string };
}

const asSystem: InTransaction = (work) => withActor(database.db, systemActor, work);

async function handInAndRun(territoryId: string, content: string, structuresContent: string | null = null) {
  const importId = await createDirectoryImport(database.db, {
    territoryId,
    agentId: randomUUID(),
    fileName: 'dora.json',
    content,
    structuresContent,
  });
  const state = await runDirectoryImport(asSystem, importId, { batchSize: 2_000 });
  if (!state) throw new Error('the import vanished');
  return state;
}

const storedCount = async (territoryId: string) =>
  (await database.db.select({ n: count() }).from(directoryServices).where(eq(directoryServices.territoryId, territoryId)))[0]?.n;

describe('data·inclusion import', () => {
  it('when a file of 20,000 services with realistic mistakes is imported, then the report is exactly what the file holds', async () => {
    const { territoryId, organisationId } = await territoryOfHautesAlpes();
    const generated = generateDataInclusionFile({ services: 20_000 });
    const state = await handInAndRun(territoryId, JSON.stringify(generated.file));

    expect(state.status).toBe('done');
    expect(state.total).toBe(20_000);
    expect(state.processed).toBe(20_000);
    const report = state.report;
    expect(report?.format).toBe('data-inclusion');
    expect(report?.rejectedStructures).toEqual(generated.expectedRejectedStructures);
    expect(report?.rejected).toEqual(generated.expectedRejected);
    // 400 rows with a mistake of their own and 50 of the refused structure (one mistake in each kind at least).
    expect(generated.expectedRejected).toHaveLength(400 + 50);
    expect(report?.written).toBe(20_000 - generated.expectedRejected.length);
    expect(await storedCount(territoryId)).toBe(report?.written);
    // The structure named like an organisation of the territory is matched by name, and its services go to it.
    expect(report?.structures?.find((structure) => structure.structureId === 'dora--s-1')).toEqual({
      structureId: 'dora--s-1',
      name: 'Structure d’accompagnement n° 1',
      matchedBy: 'name',
      organisation: { id: organisationId, name: 'Structure d’accompagnement n° 1' },
    });
    const [matched] = await database.db
      .select({ organisationId: directoryServices.organisationId, document: directoryServices.document })
      .from(directoryServices)
      .where(eq(directoryServices.id, 'dora-svc-00001'));
    expect(matched?.organisationId).toBe(organisationId);
    // The source and its date are kept with the service; a département zone became its communes.
    expect((matched?.document as { source: unknown }).source).toEqual({
      name: 'dora',
      id: 'dora--svc-00001',
      updatedAt: '2026-10-01',
    });
    const [byDepartement] = await database.db
      .select({ communes: directoryServices.communesServed })
      .from(directoryServices)
      .where(eq(directoryServices.id, 'dora-svc-00000'));
    expect(byDepartement?.communes).toHaveLength(franceZones.communesOfDepartement('05').length);
    // Nothing is left in the queue's hands: the row says done, and running it again changes nothing.
    const again = await runDirectoryImport(asSystem, state.id);
    expect(again?.finishedAt).toEqual(state.finishedAt);
  }, 240_000);

  it('when the same file comes as data·inclusion’s two CSV files, then it gives the same report', async () => {
    const { territoryId } = await territoryOfHautesAlpes();
    const generated = generateDataInclusionFile({ services: 2_000, source: 'csvsource' });
    const csv = toDataInclusionCsv(generated.file);
    const state = await handInAndRun(territoryId, csv.services, csv.structures);
    expect(state.status).toBe('done');
    expect(state.report?.format).toBe('data-inclusion-csv');
    expect(state.report?.rejectedStructures).toEqual(generated.expectedRejectedStructures);
    expect(state.report?.rejected).toEqual(generated.expectedRejected);
    expect(state.report?.written).toBe(2_000 - generated.expectedRejected.length);
  }, 120_000);

  it('when a source publishes its file again, then services are updated, never duplicated, and the ones it dropped are named', async () => {
    const { territoryId } = await territoryOfHautesAlpes();
    const first = generateDataInclusionFile({ services: 300, source: 'reimport' });
    const once = await handInAndRun(territoryId, JSON.stringify(first.file));
    expect(once.report?.disappeared).toEqual([]);
    const written = once.report?.written;

    // The next publication: the last ten services are gone, one was renamed.
    const next = generateDataInclusionFile({ services: 290, source: 'reimport', dateMaj: '2026-11-20' });
    const renamed = next.file.services[2];
    if (!renamed) throw new Error('generated file too short');
    renamed.nom = 'Service renommé par la source';
    const twice = await handInAndRun(territoryId, JSON.stringify(next.file));
    const dropped = Array.from({ length: 10 }, (_, offset) => 290 + offset)
      // A row refused the first time was never in the directory: it cannot disappear from it.
      .filter((index) => !first.expectedRejected.some((row) => row.index === index))
      .map((index) => `reimport-svc-${String(index).padStart(5, '0')}`);
    expect(twice.report?.disappeared?.map((service) => service.id)).toEqual(dropped);
    expect(twice.report?.disappeared?.every((service) => service.source === 'reimport')).toBe(true);
    // Updated in place: the 290 still published, the 10 dropped kept (to be checked), nothing twice.
    expect(await storedCount(territoryId)).toBe(written);
    const [row] = await database.db
      .select({ name: directoryServices.name, lastVerifiedAt: directoryServices.lastVerifiedAt })
      .from(directoryServices)
      .where(and(eq(directoryServices.territoryId, territoryId), eq(directoryServices.id, 'reimport-svc-00002')));
    expect(row).toEqual({ name: 'Service renommé par la source', lastVerifiedAt: '2026-11-20' });
  }, 120_000);

  it('when a service’s zone is an EPCI, then it serves the EPCI’s communes (the official list, read here on its own)', async () => {
    const { territoryId } = await territoryOfHautesAlpes();
    const generated = generateDataInclusionFile({ services: 1, source: 'epci' });
    const [service] = generated.file.services;
    if (!service) throw new Error('generated file empty');
    service.zone_eligibilite = ['200068096'];
    const state = await handInAndRun(territoryId, JSON.stringify(generated.file));
    expect(state.report?.rejected).toEqual([]);
    const champsaur = (
      require('@etalab/decoupage-administratif/data/epci.json') as Array<{ code: string; membres: Array<{ code: string }> }>
    )
      .find((epci) => epci.code === '200068096')
      ?.membres.map((member) => member.code)
      .sort();
    expect(champsaur).toHaveLength(25);
    const [row] = await database.db
      .select({ communes: directoryServices.communesServed })
      .from(directoryServices)
      .where(eq(directoryServices.id, 'epci-svc-00000'));
    expect([...(row?.communes ?? [])].sort()).toEqual(champsaur);
  });

  it('when a file cannot be read at all, then the import fails with a French reason and writes nothing', async () => {
    const { territoryId } = await territoryOfHautesAlpes();
    const broken = await handInAndRun(territoryId, '{"structures": [');
    expect(broken.status).toBe('failed');
    expect(broken.error).toMatch(/^Le fichier d’annuaire est inutilisable : JSON illisible/);
    const csvAlone = await handInAndRun(territoryId, 'id,structure_id,nom\nx,y,Service');
    expect(csvAlone.error).toBe(
      'Le fichier d’annuaire est inutilisable : fichier CSV des services data·inclusion reçu sans le fichier des structures : joignez les deux (services.csv et structures.csv).',
    );
    const badColumns = await handInAndRun(territoryId, 'identifiant,nom\nx,Service', 'id,nom\ns,Structure');
    expect(badColumns.error).toBe(
      'Le fichier d’annuaire est inutilisable : fichier des services : colonnes id, structure_id absentes.',
    );
    expect(await storedCount(territoryId)).toBe(0);
    const stored = await asSystem((tx) => readDirectoryImport(tx, broken.id));
    expect(stored?.status).toBe('failed');
    expect(
      (await database.db.select({ n: count() }).from(directoryImports).where(eq(directoryImports.territoryId, territoryId)))[0]
        ?.n,
    ).toBe(3);
  }, 60_000);

  it('keeps the generator honest: the ids it names exist in its file', () => {
    const generated = generateDataInclusionFile({ services: 100 });
    expect(generated.file.services[0]?.id).toBe(serviceIdOf('dora', 0));
    expect(new Set(generated.expectedRejected.map((row) => row.index)).size).toBe(generated.expectedRejected.length);
  });
});
