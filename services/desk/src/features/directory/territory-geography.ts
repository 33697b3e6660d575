import { createRequire } from 'node:module';
import { type Executor, territories } from '@parcours/db';
import type { Geography } from '@parcours/directory';
import { eq } from 'drizzle-orm';
import { z } from 'zod';

interface EtalabCommune {
  code: string;
  nom: string;
  type: string;
}

// The package's index.js reads its data relative to the working directory, so the JSON is loaded directly.
const require = createRequire(import.meta.url);
let communeNames: Map<string, string> | undefined;

/** Names of current communes by INSEE code (@etalab/decoupage-administratif), loaded once. */
function communeNameIndex(): Map<string, string> {
  communeNames ??= new Map(
    (require('@etalab/decoupage-administratif/data/communes.json') as EtalabCommune[])
      .filter((commune) => commune.type === 'commune-actuelle')
      .map((commune) => [commune.code, commune.nom]),
  );
  return communeNames;
}

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
  const names = communeNameIndex();
  const communeCodes = row?.communes ?? [];
  const parsedBassins = storedBassins.safeParse(row?.bassinsDeVie ?? []);
  return {
    communeCodes,
    communes: communeCodes.map((code) => ({ code, name: names.get(code) ?? code })),
    bassinsDeVie: parsedBassins.success ? parsedBassins.data : [],
  };
}
