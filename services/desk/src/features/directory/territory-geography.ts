import { type Executor, territories } from '@parcours/db';
import type { Geography } from '@parcours/directory';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { communeOf } from '../communes/communes.ts';

const storedBassins = z.array(z.object({ code: z.string(), name: z.string(), communes: z.array(z.string()) }));

export interface TerritoryGeography extends Geography {
  /** INSEE codes of the territory; empty when the territory does not list them (then any code is accepted). */
  communeCodes: string[];
}

/** The territory's communes (row), their names (INSEE via Etalab) and its bassins de vie (row). */
export async function readTerritoryGeography(db: Executor, territoryId: string): Promise<TerritoryGeography> {
  const [row] = await db
    .select({ communes: territories.communes, bassinsDeVie: territories.bassinsDeVie })
    .from(territories)
    .where(eq(territories.id, territoryId));
  const communeCodes = row?.communes ?? [];
  const parsedBassins = storedBassins.safeParse(row?.bassinsDeVie ?? []);
  return {
    communeCodes,
    communes: communeCodes.map((code) => ({ code, name: communeOf(code)?.name ?? code })),
    bassinsDeVie: parsedBassins.success ? parsedBassins.data : [],
  };
}
