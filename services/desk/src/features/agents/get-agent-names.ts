import { agents, type Executor, memberships, organisations } from '@parcours/db';
import { and, asc, eq, inArray } from 'drizzle-orm';

/** Agents' display names by id (staff data, no person data): how the audit names who did what. */
export async function getAgentNames(db: Executor, agentIds: readonly string[]): Promise<Map<string, string>> {
  const ids = [...new Set(agentIds)];
  if (ids.length === 0) return new Map();
  const rows = await db.select({ id: agents.id, name: agents.displayName }).from(agents).where(inArray(agents.id, ids));
  return new Map(rows.map((row) => [row.id, row.name]));
}

/** The agents of a territory's organisations, by name: the audit's « agent » filter. */
export async function listTerritoryAgents(db: Executor, territoryId: string) {
  return db
    .selectDistinct({ id: agents.id, name: agents.displayName })
    .from(agents)
    .innerJoin(memberships, eq(memberships.agentId, agents.id))
    .innerJoin(organisations, and(eq(organisations.id, memberships.organisationId), eq(organisations.territoryId, territoryId)))
    .orderBy(asc(agents.displayName));
}
