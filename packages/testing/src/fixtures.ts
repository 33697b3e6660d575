import { agents, type Database, memberships, organisations, personIdentities, persons, territories } from '@parcours/db';

export interface FixtureTerritory {
  territoryId: string;
  entryOrganisationId: string;
  partnerOrganisationId: string;
  foreignOrganisationId: string;
  agentId: string;
  partnerAgentId: string;
  personId: string;
}

let counter = 0;

/**
 * A small territory for tests: a France Services (entry), a CAF (partner), a CCAS elsewhere (foreign),
 * one reception agent, one partner agent, one person. Fictional data only.
 */
export async function createFixtureTerritory(db: Database, settings: Record<string, unknown> = {}): Promise<FixtureTerritory> {
  counter += 1;
  const territoryId = `test-05-${process.pid}-${counter}`;
  await db.insert(territories).values({
    id: territoryId,
    name: 'Hautes-Alpes (test)',
    departementCode: '05',
    communes: ['05070', '05061'],
    settings,
  });
  const [entry, partner, foreign] = await db
    .insert(organisations)
    .values([
      { territoryId, name: 'France Services de Laragne-Montéglin', kind: 'france_services', communesServed: ['05070'] },
      { territoryId, name: 'CAF des Hautes-Alpes', kind: 'caf', communesServed: ['05070', '05061'] },
      { territoryId, name: 'CCAS de Gap', kind: 'ccas', communesServed: ['05061'] },
    ])
    .returning({ id: organisations.id });
  const [agent, partnerAgent] = await db
    .insert(agents)
    .values([
      { email: `accueil-${territoryId}@example.test`, displayName: 'Agent d’accueil' },
      { email: `caf-${territoryId}@example.test`, displayName: 'Agent CAF' },
    ])
    .returning({ id: agents.id });
  if (!entry || !partner || !foreign || !agent || !partnerAgent) throw new Error('fixture insert returned nothing');
  await db.insert(memberships).values([
    { agentId: agent.id, organisationId: entry.id, roles: ['reception', 'referent'] },
    { agentId: partnerAgent.id, organisationId: partner.id, roles: ['partner'] },
  ]);
  const [person] = await db.insert(persons).values({ createdByOrganisationId: entry.id }).returning({ id: persons.id });
  if (!person) throw new Error('fixture insert returned nothing');
  await db.insert(personIdentities).values({
    personId: person.id,
    familyName: 'Martin',
    givenNames: 'Camille',
    birthDate: '1980-04-12',
    communeInsee: '05070',
    searchKey: 'martin camille',
  });
  return {
    territoryId,
    entryOrganisationId: entry.id,
    partnerOrganisationId: partner.id,
    foreignOrganisationId: foreign.id,
    agentId: agent.id,
    partnerAgentId: partnerAgent.id,
    personId: person.id,
  };
}

/** A clock tests move by hand. */
export class ManualClock {
  constructor(private current: Date) {}
  now(): Date {
    return new Date(this.current);
  }
  set(instant: Date | string): void {
    this.current = new Date(instant);
  }
  advanceDays(days: number): void {
    this.current = new Date(this.current.getTime() + days * 24 * 60 * 60 * 1000);
  }
}
