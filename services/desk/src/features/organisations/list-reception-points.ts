import { type Executor, organisations } from '@parcours/db';
import { and, asc, eq, inArray } from 'drizzle-orm';

/** Kinds of organisation that welcome people for a visio appointment with a partner (points d'accueil). */
const receptionPointKinds = ['france_services', 'ccas', 'departement_social_service'];

/** The reception points of the territory an organisation belongs to, by name. */
export async function listReceptionPoints(db: Executor, organisationId: string) {
  const [home] = await db
    .select({ territoryId: organisations.territoryId })
    .from(organisations)
    .where(eq(organisations.id, organisationId));
  if (!home) return [];
  return db
    .select({ id: organisations.id, name: organisations.name })
    .from(organisations)
    .where(and(eq(organisations.territoryId, home.territoryId), inArray(organisations.kind, receptionPointKinds)))
    .orderBy(asc(organisations.name));
}
