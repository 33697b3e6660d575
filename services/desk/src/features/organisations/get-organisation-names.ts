import { type Executor, organisations } from '@parcours/db';
import { inArray } from 'drizzle-orm';

/** Organisation names (staff data, not person data), by id. */
export async function getOrganisationNames(db: Executor, ids: Iterable<string>): Promise<Map<string, string>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const rows = await db
    .select({ id: organisations.id, name: organisations.name })
    .from(organisations)
    .where(inArray(organisations.id, unique));
  return new Map(rows.map((row) => [row.id, row.name]));
}
