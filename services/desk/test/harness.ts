import { agents, auditEvents, type Database, memberships } from '@parcours/db';
import { createLogger } from '@parcours/observability';
import { createFixtureTerritory, type FixtureTerritory, ManualClock } from '@parcours/testing';
import argon2 from 'argon2';
import { asc, eq, sql } from 'drizzle-orm';
import type { Express } from 'express';
import request from 'supertest';
import { type AppDependencies, createApp } from '../src/index.ts';

export const password = 'correct horse battery staple';
export const sessionSecret = 'a test secret that is long enough to sign cookies';
/** The bearer token the test apps serve `/metrics` to. */
export const metricsToken = 'a metrics token for the tests';

/** One hash for every test agent: argon2 is slow on purpose. */
let passwordHash: Promise<string> | undefined;

export interface DeskWorld extends FixtureTerritory {
  /** Reception agent of the entry organisation (France Services). */
  agentEmail: string;
  /** Partner agent of the CAF: role `partner` only. */
  partnerEmail: string;
  /** Reception agent of the foreign organisation (CCAS). */
  foreignAgentId: string;
  foreignEmail: string;
  /** An agent of both the entry organisation and the CAF. */
  twoOrganisationsAgentId: string;
  twoOrganisationsEmail: string;
}

/** The fixture territory, with passwords and two more agents the desk's policy needs. */
export async function createDeskWorld(db: Database): Promise<DeskWorld> {
  const fixture = await createFixtureTerritory(db);
  passwordHash ??= argon2.hash(password);
  const hash = await passwordHash;
  const [foreign, twoOrganisations] = await db
    .insert(agents)
    .values([
      { email: `ccas-${fixture.territoryId}@example.test`, displayName: 'Agent CCAS', passwordHash: hash },
      { email: `double-${fixture.territoryId}@example.test`, displayName: 'Agent à deux structures', passwordHash: hash },
    ])
    .returning({ id: agents.id, email: agents.email });
  if (!foreign || !twoOrganisations) throw new Error('agents insert returned nothing');
  await db.insert(memberships).values([
    { agentId: foreign.id, organisationId: fixture.foreignOrganisationId, roles: ['reception', 'referent'] },
    { agentId: twoOrganisations.id, organisationId: fixture.entryOrganisationId, roles: ['reception'] },
    { agentId: twoOrganisations.id, organisationId: fixture.partnerOrganisationId, roles: ['supervisor'] },
  ]);
  await db.update(agents).set({ passwordHash: hash }).where(eq(agents.id, fixture.agentId));
  await db.update(agents).set({ passwordHash: hash }).where(eq(agents.id, fixture.partnerAgentId));
  return {
    ...fixture,
    agentEmail: `accueil-${fixture.territoryId}@example.test`,
    partnerEmail: `caf-${fixture.territoryId}@example.test`,
    foreignAgentId: foreign.id,
    foreignEmail: foreign.email,
    twoOrganisationsAgentId: twoOrganisations.id,
    twoOrganisationsEmail: twoOrganisations.email,
  };
}

export function createTestApp(db: Database, overrides: Partial<AppDependencies> = {}): { app: Express; clock: ManualClock } {
  const clock = new ManualClock(new Date('2026-03-02T09:00:00Z'));
  const app = createApp({ db, logger: createLogger({ name: 'desk-test' }), sessionSecret, clock, metricsToken, ...overrides });
  return { app, clock };
}

/** A cookie-keeping client logged in as `email`. */
export async function logIn(app: Express, email: string) {
  const client = request.agent(app);
  await client.post('/api/v1/auth/login').send({ email, password }).expect(200);
  return client;
}

/** Audit rows naming a subject, oldest first. */
export function auditRowsFor(db: Database, subjectId: string) {
  return db
    .select()
    .from(auditEvents)
    .where(sql`${subjectId} = any(${auditEvents.subjectIds})`)
    .orderBy(asc(auditEvents.sequence));
}
