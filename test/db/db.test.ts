import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, organisations, rowsOf, territories, withActor } from '@parcours/db';
import { availableBackends, createTestDatabase, type TestDatabase } from '@parcours/testing';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

describe.each(availableBackends())('db on %s', (backend) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase({ backend });
  });
  afterAll(async () => {
    await database?.close();
  });

  it('when migrations run again on a migrated database, then nothing changes', async () => {
    await database.migrate();
    const rows = rowsOf<{ count: number }>(await database.db.execute(sql`select count(*)::int as count from reference_codes`));
    expect(rows[0]?.count).toBeGreaterThan(0);
  });

  it('when work runs through withActor, then the acting organisation is visible inside the transaction only', async () => {
    const organisationId = '11111111-1111-4111-8111-111111111111';
    const inside = await withActor(database.db, { kind: 'agent', id: 'a1', organisationId }, async (tx) =>
      rowsOf<{ org: string; kind: string }>(
        await tx.execute(
          sql`select current_setting('parcours.organisation_id', true) as org, current_setting('parcours.actor_kind', true) as kind`,
        ),
      ),
    );
    expect(inside[0]).toEqual({ org: organisationId, kind: 'agent' });
    const outside = rowsOf<{ org: string | null }>(
      await database.db.execute(sql`select current_setting('parcours.organisation_id', true) as org`),
    );
    expect(outside[0]?.org ?? '').toBe('');
  });

  it('when withActor work throws, then everything it wrote is rolled back', async () => {
    await expect(
      withActor(database.db, { kind: 'system', id: null, organisationId: null }, async (tx) => {
        await tx.insert(territories).values({ id: 'rolled-back', name: 'x', departementCode: '05' });
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await database.db.select().from(territories).where(eq(territories.id, 'rolled-back'))).toEqual([]);
  });

  it('when a value is outside a closed vocabulary, then the database refuses it', async () => {
    await database.db.insert(territories).values({ id: 'vocab', name: 'Test', departementCode: '05' });
    await expect(database.db.insert(organisations).values({ territoryId: 'vocab', name: 'X', kind: 'bank' })).rejects.toThrow();
    await expect(
      database.db.insert(organisations).values({ territoryId: 'vocab', name: 'X', kind: 'caf', siret: '123' }),
    ).rejects.toThrow();
    await database.db.insert(organisations).values({ territoryId: 'vocab', name: 'X', kind: 'caf', siret: '12345678901234' });
  });
});

describe('db client factory', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'parcours-pglite-'));
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('when no URL is given, then PGlite keeps the data on disk across restarts', async () => {
    const first = await openDatabase({ dataDir });
    expect(first.backend).toBe('pglite');
    await first.migrate();
    await first.db.insert(territories).values({ id: 'disk', name: 'Sur disque', departementCode: '05' });
    await first.close();
    const second = await openDatabase({ dataDir });
    await second.migrate();
    expect(await second.db.select({ id: territories.id }).from(territories)).toEqual([{ id: 'disk' }]);
    await second.close();
  });
});
