import { type Executor, territories } from '@parcours/db';
import { eq } from 'drizzle-orm';

const departements = new Map<string, string | null>();

/** The territory's département code (a territory's row never changes it): where homonym communes are settled. */
export async function departementOfTerritory(db: Executor, territoryId: string): Promise<string | null> {
  if (departements.has(territoryId)) return departements.get(territoryId) ?? null;
  const [row] = await db
    .select({ departement: territories.departementCode })
    .from(territories)
    .where(eq(territories.id, territoryId));
  const departement = row?.departement ?? null;
  departements.set(territoryId, departement);
  return departement;
}
