/**
 * Row-level security, proved at the SQL level (issue 8): with the application's filters bypassed — plain
 * `select *` on each table — a transaction acting for organisation A returns no row of organisation B. Run
 * on PostgreSQL through the non-owner service role, and on PGlite (one superuser connection), where
 * `withActor` switches role all the same. Also: every table holding person data is under forced RLS, the
 * audit is insert-only for the application role, and outside an actor transaction the service sees nothing.
 */
import { randomUUID } from 'node:crypto';
import {
  type Actor,
  agents,
  applicationRole,
  type Database,
  type DatabaseHandle,
  personIdentities,
  persons,
  rowsOf,
  systemActor,
  systemRole,
  withActor,
} from '@parcours/db';
import { createReferral, openCase } from '@parcours/engine';
import { availableBackends, createFixtureTerritory, createTestDatabase, type TestDatabase } from '@parcours/testing';
import { referralPurposes } from '@parcours/vocabulary';
import { type SQL, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** Tables with a row per person or per case. A new one must join this list or the allow-list below. */
const personDataTables = [
  'persons',
  'person_identities',
  'cases',
  'case_members',
  'case_events',
  'case_timers',
  'referrals',
  'assessments',
  'orientation_choices',
  'referent_handovers',
  'consents',
  'contacts',
] as const;

/** Tables that name a case or a person but hold no person data, and why. */
const idOnlyTables: Record<string, string> = {
  case_access: 'the access index itself: case and organisation ids, written by triggers only',
  partner_links: 'a token hash and ids; read before the actor is known (by the verified link id)',
  mail_deliveries: 'template codes, ids and agents’ addresses; never a person’s data (worker invariant)',
  // Supervision's read model (issue 17): the fold's memory of each case's milestones, read only summed up
  // (breaches per partner) or through case_access (the drill-down to one's own cases).
  supervision_case_facts: 'ids, organisation ids, codes and the instants of the journey’s milestones',
  supervision_referral_facts: 'ids, the partner and the instants of the referral’s milestones',
  supervision_contact_facts: 'a contact id and its case id',
  supervision_right_facts: 'a case id, a right code, its follow-up status and non-take-up reason code',
};

interface World {
  /** Organisation A (the entry point) and its case; P the partner A referred to; B a foreign organisation. */
  a: Actor;
  p: Actor;
  b: Actor;
  caseOfA: string;
  caseOfB: string;
  personOfA: string;
  personOfB: string;
  referralOfA: string;
}

async function buildWorld(db: Database): Promise<World> {
  const fixture = await createFixtureTerritory(db);
  const [foreignAgent] = await db
    .insert(agents)
    .values({ email: `rls-${fixture.territoryId}@example.test`, displayName: 'Agent CCAS' })
    .returning({ id: agents.id });
  const [personOfB] = await db
    .insert(persons)
    .values({ createdByOrganisationId: fixture.foreignOrganisationId })
    .returning({ id: persons.id });
  await db.insert(personIdentities).values({
    personId: personOfB?.id as string,
    familyName: 'Durand',
    givenNames: 'Alix',
    birthDate: '1975-02-03',
    communeInsee: '05061',
    searchKey: 'durand alix',
  });
  const a: Actor = { kind: 'agent', id: fixture.agentId, organisationId: fixture.entryOrganisationId };
  const p: Actor = { kind: 'agent', id: fixture.partnerAgentId, organisationId: fixture.partnerOrganisationId };
  const b: Actor = { kind: 'agent', id: foreignAgent?.id as string, organisationId: fixture.foreignOrganisationId };
  const opening = { territoryId: fixture.territoryId, channel: 'physical' as const, expressedRequest: 'Aide au logement' };
  const caseOfA = await openCase(
    db,
    { ...opening, entryOrganisationId: fixture.entryOrganisationId, members: [{ personId: fixture.personId, role: 'primary' }] },
    { actor: a },
  );
  const caseOfB = await openCase(
    db,
    {
      ...opening,
      entryOrganisationId: fixture.foreignOrganisationId,
      members: [{ personId: personOfB?.id as string, role: 'primary' }],
    },
    { actor: b },
  );
  const referral = await createReferral(
    db,
    {
      caseId: caseOfA.id,
      fromOrganisationId: fixture.entryOrganisationId,
      toOrganisationId: fixture.partnerOrganisationId,
      purpose: referralPurposes[0],
      sharedCategories: ['identity'],
    },
    { actor: a },
  );
  return {
    a,
    p,
    b,
    caseOfA: caseOfA.id,
    caseOfB: caseOfB.id,
    personOfA: fixture.personId,
    personOfB: personOfB?.id as string,
    referralOfA: referral.id,
  };
}

/** Every row of a table as the actor sees it, without any filter of ours: only the policies decide. */
async function everyRowAs(db: Database, actor: Actor, table: string): Promise<Array<Record<string, unknown>>> {
  return withActor(db, actor, async (tx) => rowsOf(await tx.execute(sql`select * from ${sql.identifier(table)}`)));
}

/** The case and person ids a table's visible rows mention. */
async function idsSeen(db: Database, actor: Actor): Promise<Set<string>> {
  const seen = new Set<string>();
  for (const table of personDataTables) {
    for (const row of await everyRowAs(db, actor, table)) {
      for (const column of ['id', 'case_id', 'person_id']) {
        if (typeof row[column] === 'string') seen.add(row[column] as string);
      }
    }
  }
  return seen;
}

describe.each(availableBackends())('row-level security on %s', (backend) => {
  let database: TestDatabase;
  let service: DatabaseHandle;
  let world: World;

  beforeAll(async () => {
    database = await createTestDatabase({ backend });
    service = await database.connectAsService();
    // Fixture rows are written as the owner (outside any actor); the engine then acts as each organisation.
    world = await buildWorld(database.db);
  });

  afterAll(async () => {
    await database?.close();
  });

  it('when acting for organisation A with no filter at all, then no row of organisation B comes back, and the reverse', async () => {
    const seenByA = await idsSeen(service.db, world.a);
    expect(seenByA).toContain(world.caseOfA);
    expect(seenByA).toContain(world.personOfA);
    expect(seenByA).not.toContain(world.caseOfB);
    expect(seenByA).not.toContain(world.personOfB);

    const seenByB = await idsSeen(service.db, world.b);
    expect(seenByB).toContain(world.caseOfB);
    expect(seenByB).toContain(world.personOfB);
    expect(seenByB).not.toContain(world.caseOfA);
    expect(seenByB).not.toContain(world.personOfA);
    expect(seenByB).not.toContain(world.referralOfA);

    const identitiesSeenByB = await everyRowAs(service.db, world.b, 'person_identities');
    expect(identitiesSeenByB.map((row) => row.family_name)).toEqual(['Durand']);
  });

  it('when A refers the case to a partner, then the partner reaches that case and its members, still nothing of B', async () => {
    const seenByPartner = await idsSeen(service.db, world.p);
    expect(seenByPartner).toContain(world.caseOfA);
    expect(seenByPartner).toContain(world.referralOfA);
    expect(seenByPartner).toContain(world.personOfA);
    expect(seenByPartner).not.toContain(world.caseOfB);
    expect(seenByPartner).not.toContain(world.personOfB);
  });

  it('when an actor names no organisation, a partner link that does not exist, or nobody, then nothing is visible; the system sees all', async () => {
    const nobodies: Actor[] = [
      { kind: 'agent', id: world.a.id, organisationId: null },
      { kind: 'partner_link', id: '00000000-0000-4000-8000-000000000000', organisationId: world.p.organisationId },
      { kind: 'person', id: world.personOfA, organisationId: null },
    ];
    for (const actor of nobodies) expect(await idsSeen(service.db, actor)).toEqual(new Set());
    const seenBySystem = await idsSeen(service.db, systemActor);
    for (const id of [world.caseOfA, world.caseOfB, world.personOfA, world.personOfB]) expect(seenBySystem).toContain(id);
  });

  it('when acting, then the transaction runs as the application role, whoever the connection is', async () => {
    const [row] = await withActor(service.db, world.a, async (tx) =>
      rowsOf<{ role: string }>(await tx.execute(sql`select current_user as role`)),
    );
    expect(row?.role).toBe(applicationRole);
  });

  it('when the application role tries to rewrite or delete the audit, then the database refuses', async () => {
    for (const statement of [sql`update audit_events set action = 'rewritten'`, sql`delete from audit_events`]) {
      await expect(withActor(service.db, systemActor, (tx) => tx.execute(statement))).rejects.toThrow();
    }
    const [count] = rowsOf<{ n: number }>(
      await database.db.execute(sql`select count(*)::int as n from audit_events where action = 'rewritten'`),
    );
    expect(count?.n).toBe(0);
  });

  it('when a table names a case or a person, then it is under forced row-level security, or allowed by name', async () => {
    const tables = rowsOf<{ table: string; enabled: boolean; forced: boolean }>(
      await database.db.execute(sql`
        select c.relname as table, c.relrowsecurity as enabled, c.relforcerowsecurity as forced
        from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = 'public' and c.relkind = 'r' and exists (
          select 1 from pg_attribute a where a.attrelid = c.oid and not a.attisdropped
            and a.attname in ('case_id', 'person_id'))
           or (n.nspname = 'public' and c.relname in ('persons', 'cases'))`),
    );
    const unprotected = tables.filter((table) => !(table.enabled && table.forced) && !(table.table in idOnlyTables));
    expect(unprotected.map((table) => table.table)).toEqual([]);
    expect(tables.filter((table) => table.enabled && table.forced).map((table) => table.table)).toEqual(
      expect.arrayContaining([...personDataTables]),
    );
  });

  it('when an application session claims to be the system in a setting, then it sees nothing more than before', async () => {
    const forged = await withActor(service.db, world.b, async (tx) => {
      await tx.execute(sql`select set_config('parcours.actor_kind', 'system', true)`);
      return rowsOf<{ id: string }>(await tx.execute(sql`select id from cases`));
    });
    expect(forged.map((row) => row.id)).not.toContain(world.caseOfA);
    const [role] = await withActor(service.db, systemActor, async (tx) =>
      rowsOf<{ role: string }>(await tx.execute(sql`select current_user as role`)),
    );
    expect(role?.role).toBe(systemRole);
  });

  it('when a session writes a foreign case into the policies’ settings, then that case stays invisible', async () => {
    for (const table of ['case_events', 'case_members', 'referrals', 'case_timers', 'cases']) {
      const column = table === 'cases' ? 'id' : 'case_id';
      const rows = await withActor(service.db, world.b, async (tx) => {
        await tx.execute(sql`select set_config('parcours.visible_case', ${world.caseOfA}, true)`);
        return rowsOf(
          await tx.execute(sql`select 1 from ${sql.identifier(table)} where ${sql.identifier(column)} = ${world.caseOfA}::uuid`),
        );
      });
      expect({ table, rows: rows.length }).toEqual({ table, rows: 0 });
    }
  });

  it('when acting for B, a write that would bring in A’s case or person is refused by the policies, for every protected table', async () => {
    /** What a row of A looks like, copied as B with a fresh id: the copy must be refused (42501), never a key clash. */
    const ownedByA: Record<(typeof personDataTables)[number], SQL> = {
      persons: sql`id = ${world.personOfA}::uuid`,
      person_identities: sql`person_id = ${world.personOfA}::uuid`,
      cases: sql`id = ${world.caseOfA}::uuid`,
      case_members: sql`case_id = ${world.caseOfA}::uuid`,
      case_events: sql`case_id = ${world.caseOfA}::uuid`,
      case_timers: sql`case_id = ${world.caseOfA}::uuid`,
      referrals: sql`case_id = ${world.caseOfA}::uuid`,
      assessments: sql`case_id = ${world.caseOfA}::uuid`,
      orientation_choices: sql`case_id = ${world.caseOfA}::uuid`,
      referent_handovers: sql`case_id = ${world.caseOfA}::uuid`,
      consents: sql`person_id = ${world.personOfA}::uuid`,
      contacts: sql`person_id = ${world.personOfA}::uuid`,
    };
    const tried: string[] = [];
    for (const table of personDataTables) {
      const [found] = rowsOf<{ row: Record<string, unknown> }>(
        await database.db.execute(
          sql`select to_jsonb(t) as row from ${sql.identifier(table)} t where ${ownedByA[table]} limit 1`,
        ),
      );
      if (!found) continue;
      const copy = { ...found.row };
      if ('id' in copy) copy.id = randomUUID();
      if (table === 'case_members') copy.case_id = world.caseOfB; // B's own case, A's person
      if (table === 'person_identities') copy.search_key = `${copy.search_key} copie`;
      const refusal = await withActor(service.db, world.b, (tx) =>
        tx.execute(
          sql`insert into ${sql.identifier(table)} select * from jsonb_populate_record(null::${sql.identifier(table)}, ${JSON.stringify(copy)}::jsonb)`,
        ),
      ).then(
        () => 'accepted',
        (error: { cause?: { code?: string }; code?: string }) => error.cause?.code ?? error.code,
      );
      expect({ table, refusal }).toEqual({ table, refusal: '42501' });
      tried.push(table);
    }
    expect(tried).toEqual(
      expect.arrayContaining(['persons', 'person_identities', 'cases', 'case_members', 'case_events', 'referrals']),
    );

    // Moving one of B's own rows onto A's person is refused too (WITH CHECK on update).
    const moved = await withActor(service.db, world.b, (tx) =>
      tx.execute(sql`update case_members set person_id = ${world.personOfA}::uuid where case_id = ${world.caseOfB}::uuid`),
    ).then(
      () => 'accepted',
      (error: { cause?: { code?: string }; code?: string }) => error.cause?.code ?? error.code,
    );
    expect(moved).toBe('42501');
    const seenByB = await idsSeen(service.db, world.b);
    expect(seenByB).not.toContain(world.personOfA);
  });

  // PGlite has one superuser connection: there is no service role to connect as, only withActor's switch.
  if (backend === 'postgres') {
    it('when the service role queries outside an actor transaction, then no person data comes back', async () => {
      for (const table of personDataTables) {
        const rows = rowsOf(await service.db.execute(sql`select * from ${sql.identifier(table)}`));
        expect({ table, rows: rows.length }).toEqual({ table, rows: 0 });
      }
    });
  }
});
