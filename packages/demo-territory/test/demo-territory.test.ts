import { agents, cases, memberships, organisations, territories } from '@parcours/db';
import { createTestDatabase, type TestDatabase } from '@parcours/testing';
import { verify } from 'argon2';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bassinsDeVieOf, communesOf, demoLogins, demoPassword, demoTerritoryId, seedDemoTerritory } from '../src/index.ts';

describe('demo territory', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database?.close();
  });

  it('when the Hautes-Alpes communes are read, then they come from the official list with their bassins de vie', () => {
    const communes = communesOf('05');
    expect(communes.length).toBeGreaterThan(150);
    expect(communes).toContainEqual(expect.objectContaining({ code: '05070', name: 'Laragne-Montéglin' }));
    const bassins = bassinsDeVieOf('05');
    expect(bassins.length).toBeGreaterThan(5);
    const covered = new Set(bassins.flatMap((bassin) => bassin.communes));
    expect(communes.every((commune) => covered.has(commune.code))).toBe(true);
  });

  it('when seeded on an empty database, then it creates the territory, about ten partners, an agent for every role and demo cases; a second seed does nothing', async () => {
    const first = await seedDemoTerritory(database.db, { now: new Date('2026-11-02T09:00:00Z') });
    expect(first.seeded).toBe(true);
    const [territory] = await database.db.select().from(territories).where(eq(territories.id, demoTerritoryId));
    expect(territory?.communes.length).toBeGreaterThan(150);
    const partnerRows = await database.db.select().from(organisations).where(eq(organisations.territoryId, demoTerritoryId));
    expect(partnerRows.length).toBeGreaterThanOrEqual(10);
    expect(new Set(partnerRows.map((row) => row.kind))).toEqual(
      new Set([
        'france_services',
        'ccas',
        'caf',
        'msa',
        'cpam',
        'france_travail',
        'mission_locale',
        'departement_social_service',
        'dac',
        'association',
        'other',
      ]),
    );
    const territoryCommunes = new Set(territory?.communes);
    expect(
      partnerRows.every(
        (row) => row.communesServed.length > 0 && row.communesServed.every((code) => territoryCommunes.has(code)),
      ),
    ).toBe(true);
    const roles = new Set((await database.db.select().from(memberships)).flatMap((row) => row.roles));
    expect(roles).toEqual(new Set(['reception', 'referent', 'partner', 'supervisor', 'admin', 'auditor']));
    const [agent] = await database.db
      .select()
      .from(agents)
      .where(eq(agents.email, demoLogins[0]?.email as string));
    expect(await verify(agent?.passwordHash as string, demoPassword)).toBe(true);
    const stages = (await database.db.select({ stage: cases.stage }).from(cases)).map((row) => row.stage).sort();
    expect(stages).toEqual(['assessment', 'orientation', 'reception']);

    const second = await seedDemoTerritory(database.db);
    expect(second.seeded).toBe(false);
    expect(second.organisationIds).toEqual(first.organisationIds);
    expect(await database.db.select().from(cases)).toHaveLength(3);
  });
});
