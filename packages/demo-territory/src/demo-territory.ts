import { agents, type Database, memberships, organisations, personIdentities, persons, territories } from '@parcours/db';
import { openCase, sendCaseEvent } from '@parcours/engine';
import { defaultDelayWorkingDays } from '@parcours/journey';
import type { MembershipRole, OrganisationKind } from '@parcours/vocabulary';
import { hash } from 'argon2';
import { eq } from 'drizzle-orm';
import { bassinsDeVieOf, communesOf } from './communes.ts';

export const demoTerritoryId = 'hautes-alpes';
/** Every demo agent's password. Fictional agents on a fictional desk: never use outside a demo. */
export const demoPassword = 'parcours-demo';

interface DemoOrganisation {
  key: string;
  name: string;
  kind: OrganisationKind;
  /** null: the whole département. */
  communes: string[] | null;
  usesParcours?: boolean;
}

const laragne = '05070';
const gap = '05061';
const briancon = '05023';
/** Communes around Laragne-Montéglin (Buëch valley), served by its France Services. */
const laragneArea = ['05103', '05173', '05073', '05053', '05178', '05078', '05166', '05097'];

const demoOrganisations: DemoOrganisation[] = [
  {
    key: 'fs-laragne',
    name: 'France Services de Laragne-Montéglin',
    kind: 'france_services',
    communes: [laragne, ...laragneArea],
  },
  { key: 'ccas-gap', name: 'CCAS de Gap', kind: 'ccas', communes: [gap] },
  { key: 'caf', name: 'CAF des Hautes-Alpes', kind: 'caf', communes: null },
  { key: 'msa', name: 'MSA Alpes-Vaucluse — agence de Gap', kind: 'msa', communes: null },
  { key: 'cpam', name: 'CPAM des Hautes-Alpes', kind: 'cpam', communes: null },
  { key: 'france-travail', name: 'France Travail — agence de Gap', kind: 'france_travail', communes: null },
  { key: 'mission-locale', name: 'Mission locale jeunes des Hautes-Alpes', kind: 'mission_locale', communes: null },
  {
    key: 'departement',
    name: 'Département des Hautes-Alpes — service social départemental',
    kind: 'departement_social_service',
    communes: null,
  },
  { key: 'dac', name: 'DAC des Hautes-Alpes (dispositif d’appui à la coordination)', kind: 'dac', communes: null },
  {
    key: 'association',
    name: 'Association Entraide Buëch-Durance',
    kind: 'association',
    communes: [laragne, ...laragneArea, gap],
  },
  { key: 'pad-briancon', name: 'Point-justice de Briançon', kind: 'other', communes: [briancon], usesParcours: false },
];

export interface DemoLogin {
  email: string;
  displayName: string;
  organisations: Array<{ key: string; roles: MembershipRole[] }>;
}

export const demoLogins: DemoLogin[] = [
  {
    email: 'accueil.laragne@demo.parcours.test',
    displayName: 'Inès Accueil (France Services)',
    organisations: [{ key: 'fs-laragne', roles: ['reception', 'referent'] }],
  },
  {
    email: 'referente.ccas@demo.parcours.test',
    displayName: 'Rose Référente (CCAS de Gap)',
    organisations: [{ key: 'ccas-gap', roles: ['reception', 'referent'] }],
  },
  {
    email: 'partenaire.caf@demo.parcours.test',
    displayName: 'Paul Partenaire (CAF)',
    organisations: [{ key: 'caf', roles: ['partner'] }],
  },
  {
    email: 'partenaire.france-travail@demo.parcours.test',
    displayName: 'Fatou Partenaire (France Travail)',
    organisations: [{ key: 'france-travail', roles: ['partner'] }],
  },
  {
    email: 'gestion-cas.dac@demo.parcours.test',
    displayName: 'Gaël Gestionnaire de cas (DAC)',
    organisations: [{ key: 'dac', roles: ['referent', 'partner'] }],
  },
  {
    email: 'superviseure@demo.parcours.test',
    displayName: 'Sophie Superviseure (Département)',
    organisations: [{ key: 'departement', roles: ['supervisor', 'reception', 'referent'] }],
  },
  {
    email: 'admin@demo.parcours.test',
    displayName: 'Adam Administrateur (Département)',
    organisations: [{ key: 'departement', roles: ['admin'] }],
  },
  {
    email: 'auditrice@demo.parcours.test',
    displayName: 'Aude Auditrice (Département)',
    organisations: [{ key: 'departement', roles: ['auditor'] }],
  },
  {
    email: 'polyvalent@demo.parcours.test',
    displayName: 'Pierre Polyvalent (France Services et CCAS)',
    organisations: [
      { key: 'fs-laragne', roles: ['reception'] },
      { key: 'ccas-gap', roles: ['reception'] },
    ],
  },
];

export interface SeedResult {
  seeded: boolean;
  territoryId: string;
  organisationIds: Record<string, string>;
}

/**
 * Seeds the demo territory (Hautes-Alpes) when the database has none: communes and bassins de vie, about
 * ten partner organisations, fictional agents for every role, and a few fictional cases at different
 * stages. Does nothing on a database that already has the territory.
 */
export async function seedDemoTerritory(db: Database, options: { now?: Date } = {}): Promise<SeedResult> {
  const [existing] = await db.select({ id: territories.id }).from(territories).where(eq(territories.id, demoTerritoryId));
  if (existing) {
    const rows = await db
      .select({ id: organisations.id, name: organisations.name })
      .from(organisations)
      .where(eq(organisations.territoryId, demoTerritoryId));
    const organisationIds = Object.fromEntries(
      demoOrganisations.flatMap((organisation) => {
        const row = rows.find((candidate) => candidate.name === organisation.name);
        return row ? [[organisation.key, row.id]] : [];
      }),
    );
    return { seeded: false, territoryId: demoTerritoryId, organisationIds };
  }
  const allCommunes = communesOf('05').map((commune) => commune.code);
  const passwordHash = await hash(demoPassword);
  const organisationIds: Record<string, string> = {};
  await db.transaction(async (tx) => {
    await tx.insert(territories).values({
      id: demoTerritoryId,
      name: 'Hautes-Alpes',
      departementCode: '05',
      communes: allCommunes,
      bassinsDeVie: bassinsDeVieOf('05'),
      settings: { delays: { ...defaultDelayWorkingDays } },
    });
    for (const organisation of demoOrganisations) {
      const [row] = await tx
        .insert(organisations)
        .values({
          territoryId: demoTerritoryId,
          name: organisation.name,
          kind: organisation.kind,
          communesServed: organisation.communes ?? allCommunes,
          usesParcours: organisation.usesParcours ?? true,
        })
        .returning({ id: organisations.id });
      organisationIds[organisation.key] = row?.id as string;
    }
    for (const login of demoLogins) {
      const [agent] = await tx
        .insert(agents)
        .values({ email: login.email, displayName: login.displayName, passwordHash })
        .returning({ id: agents.id });
      await tx.insert(memberships).values(
        login.organisations.map((membership) => ({
          agentId: agent?.id as string,
          organisationId: organisationIds[membership.key] as string,
          roles: membership.roles,
        })),
      );
    }
  });
  await seedDemoCases(db, organisationIds, options.now ?? new Date());
  return { seeded: true, territoryId: demoTerritoryId, organisationIds };
}

const demoPersons = [
  {
    familyName: 'Durand',
    givenNames: 'Léa',
    birthDate: '1987-05-14',
    communeInsee: laragne,
    request: 'Je viens d’être licenciée et je ne sais pas à quelles aides j’ai droit.',
    steps: ['START_ASSESSMENT'],
  },
  {
    familyName: 'Moreau',
    givenNames: 'Jean',
    birthDate: '1941-11-02',
    communeInsee: laragne,
    request: 'Ma femme ne peut plus rester seule à la maison, je suis épuisé.',
    steps: ['START_ASSESSMENT', 'COMPLETE_ASSESSMENT'],
  },
  {
    familyName: 'Benali',
    givenNames: 'Yasmine',
    birthDate: '2003-02-27',
    communeInsee: laragne,
    request: 'Je cherche un logement et un travail.',
    steps: [],
  },
] as const;

async function seedDemoCases(db: Database, organisationIds: Record<string, string>, now: Date): Promise<void> {
  const [reception] = await db
    .select({ id: agents.id })
    .from(agents)
    .where(eq(agents.email, 'accueil.laragne@demo.parcours.test'));
  const entryOrganisationId = organisationIds['fs-laragne'] as string;
  const actor = { kind: 'agent' as const, id: reception?.id ?? null, organisationId: entryOrganisationId };
  for (const demo of demoPersons) {
    const [person] = await db
      .insert(persons)
      .values({ createdByOrganisationId: entryOrganisationId, lastContactAt: now })
      .returning({ id: persons.id });
    const personId = person?.id as string;
    await db.insert(personIdentities).values({
      personId,
      familyName: demo.familyName,
      givenNames: demo.givenNames,
      birthDate: demo.birthDate,
      communeInsee: demo.communeInsee,
      searchKey: `${demo.familyName} ${demo.givenNames}`
        .normalize('NFD')
        .replace(/\p{Diacritic}/gu, '')
        .toLowerCase(),
    });
    let view = await openCase(
      db,
      {
        territoryId: demoTerritoryId,
        entryOrganisationId,
        channel: 'physical',
        expressedRequest: demo.request,
        referentAgentId: actor.id ?? undefined,
        members: [{ personId, role: 'primary' }],
      },
      { actor, clock: { now: () => now } },
    );
    for (const type of demo.steps) {
      view = await sendCaseEvent(
        db,
        { caseId: view.id, event: { type }, expectedRevision: view.revision },
        { actor, clock: { now: () => now } },
      );
    }
  }
}
