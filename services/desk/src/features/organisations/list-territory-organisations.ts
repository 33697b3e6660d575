import { type Executor, organisations } from '@parcours/db';
import { asc, eq } from 'drizzle-orm';

/** The organisations of a territory, by name, and whether each uses Parcours: recipients of a consent, new référents, filters. */
export function listTerritoryOrganisations(db: Executor, territoryId: string) {
  return db
    .select({ id: organisations.id, name: organisations.name, usesParcours: organisations.usesParcours })
    .from(organisations)
    .where(eq(organisations.territoryId, territoryId))
    .orderBy(asc(organisations.name));
}
