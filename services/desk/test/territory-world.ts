import { multidimensionalFormV1 } from '@parcours/assessment';
import { agents, type Database, memberships } from '@parcours/db';
import { communesOf, demoDirectory, demoPassword, demoTerritoryId, seedDemoTerritory } from '@parcours/demo-territory';
import { importDirectory } from '@parcours/directory-store';
import argon2 from 'argon2';
import type { Express } from 'express';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent.js';
import { expect } from 'vitest';
import { createTestApp } from './harness.ts';

/**
 * The demo territory (Hautes-Alpes) with its directory, as the embedded launcher seeds it, plus a
 * supervisor-only agent of the France Services (to check what a role without health access sees).
 */
/**
 * The demo territory and its directory, seeded through `db` (the owner); the app runs on `appDb` when given
 * (the non-owner service connection, as in production), else on `db`.
 */
export async function createTerritoryWorld(db: Database, appDb: Database = db) {
  const seed = await seedDemoTerritory(db, { now: new Date('2026-03-01T09:00:00Z') });
  const report = await importDirectory(db, demoDirectory, {
    territoryId: demoTerritoryId,
    knownCommunes: communesOf('05').map((commune) => commune.code),
    now: new Date('2026-03-01T09:00:00Z'),
  });
  expect(report.rejected).toEqual([]);
  const entryOrganisationId = seed.organisationIds['fs-laragne'] as string;
  const [supervisor] = await db
    .insert(agents)
    .values({
      email: 'superviseur.laragne@demo.parcours.test',
      displayName: 'Superviseur France Services',
      passwordHash: await argon2.hash(demoPassword),
    })
    .returning({ id: agents.id });
  await db
    .insert(memberships)
    .values({ agentId: supervisor?.id as string, organisationId: entryOrganisationId, roles: ['supervisor'] });
  const { app, clock } = createTestApp(appDb);
  return { app, clock, organisationIds: seed.organisationIds, entryOrganisationId };
}

export const emails = {
  reception: 'accueil.laragne@demo.parcours.test',
  foreign: 'referente.ccas@demo.parcours.test',
  partner: 'partenaire.caf@demo.parcours.test',
  admin: 'admin@demo.parcours.test',
  supervisor: 'superviseur.laragne@demo.parcours.test',
} as const;

export async function logInAs(app: Express, email: string): Promise<TestAgent> {
  const client = request.agent(app);
  await client.post('/api/v1/auth/login').send({ email, password: demoPassword }).expect(200);
  return client;
}

/** A person of Laragne-Montéglin and a case opened for them at the France Services, moved by `events`. */
export async function openLaragneCase(client: TestAgent, events: string[] = ['START_ASSESSMENT']) {
  const person = await client
    .post('/api/v1/persons')
    .send({ familyName: 'Rey', givenNames: 'Margaux', birthDate: '1979-09-03', communeInsee: '05070' })
    .expect(201);
  const opened = await client
    .post('/api/v1/cases')
    .send({
      channel: 'physical',
      expressedRequest: 'Je dois quitter mon logement et je cherche du travail',
      members: [{ personId: person.body.id, role: 'primary' }],
    })
    .expect(201);
  let revision = opened.body.revision as number;
  for (const type of events) {
    const moved = await client
      .post(`/api/v1/cases/${opened.body.id}/events`)
      .send({ event: { type }, expectedRevision: revision })
      .expect(200);
    revision = moved.body.revision;
  }
  return { caseId: opened.body.id as string, personId: person.body.id as string };
}

type Needs = Record<string, { level: string; urgency?: string; note?: string }>;

/** Every domain of the form answered: no need except the ones given. */
export function completeAnswers(needs: Needs = {}, extra: Record<string, unknown> = {}) {
  const all: Needs = Object.fromEntries(multidimensionalFormV1.domains.map((domain) => [domain.code, { level: 'none' }]));
  return {
    expressedRequest: { text: 'Je dois quitter mon logement et je cherche du travail', domains: ['housing', 'employment'] },
    needs: { ...all, ...needs },
    ...extra,
  };
}

export const housingAndWork: Needs = {
  housing: { level: 'severe', urgency: 'urgent', note: 'Congé du bailleur pour fin juin' },
  employment: { level: 'moderate', urgency: 'soon' },
};

/** MAIA screening: all three criteria met. */
export const maiaEligible = {
  functionalProblems: true,
  medicalProblems: true,
  decisionMakingProblems: true,
  helpInPlaceInsufficient: true,
  closeCircleAbleToCoordinate: false,
};

export function problemOf(response: request.Response) {
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  return JSON.parse(response.text) as Record<string, unknown> & { errors?: Array<{ field: string; message: string }> };
}

const consentInformed = { whatIsShared: true, withWhom: true, byWhatMeans: true, whichSecurity: true };
const threeServices = { caf: 'caf-acces-droits', ccas: 'ccas-gap-accueil-social', franceTravail: 'france-travail-gap' } as const;
type Recipient = keyof typeof threeServices;

/**
 * A Laragne case with three sent referrals (CAF, CCAS de Gap, France Travail — agence de Gap), all covered by
 * one consent naming the three.
 */
/** A case with three sent referrals (CAF, CCAS, France Travail), covered by one consent naming the three. */
export async function caseWithThreeSentReferrals(reception: TestAgent) {
  const { caseId, personId } = await openLaragneCase(reception, ['START_ASSESSMENT', 'COMPLETE_ASSESSMENT']);
  const sent = {} as Record<Recipient, { id: string; toOrganisationId: string; purpose: string; sharedCategories: string[] }>;
  for (const [key, serviceId] of Object.entries(threeServices) as Array<[Recipient, string]>) {
    const chosen = await reception
      .post(`/api/v1/cases/${caseId}/orientation-choices`)
      .send({ serviceId, reasonCode: 'person_preference' })
      .expect(201);
    sent[key] = chosen.body.referral;
  }
  const scope = {
    recipientOrganisationIds: Object.values(sent).map((referral) => referral.toOrganisationId),
    purposes: [...new Set(Object.values(sent).map((referral) => referral.purpose))],
    categories: [...new Set(Object.values(sent).flatMap((referral) => referral.sharedCategories))],
  };
  const consentId = await recordConsentThroughApi(reception, personId, scope);
  for (const referral of Object.values(sent)) {
    await reception.post(`/api/v1/referrals/${referral.id}/send`).send({ expectedRevision: 0 }).expect(200);
  }
  return { caseId, personId, consentId, sent, scope };
}

/**
 * Records the person's consent to a sharing scope through the API, as an agent who showed the notice of
 * exactly that scope and ticked the four pieces of information. Returns the consent id.
 */
export async function recordConsentThroughApi(
  agent: TestAgent,
  personId: string,
  scope: { recipientOrganisationIds: string[]; purposes: string[]; categories: string[] },
): Promise<string> {
  const notice = await agent
    .get('/api/v1/consent-notice')
    .query({
      recipientOrganisationIds: scope.recipientOrganisationIds.join(','),
      purposes: scope.purposes.join(','),
      categories: scope.categories.join(','),
    })
    .expect(200);
  const consent = await agent
    .post('/api/v1/consents')
    .send({
      decision: 'consent',
      personId,
      givenBy: 'person',
      method: 'oral_attested',
      informationShown: consentInformed,
      notice: { version: notice.body.version, sha256: notice.body.sha256 },
      ...scope,
    })
    .expect(201);
  return consent.body.id as string;
}
