import { agents, type Database, memberships, organisations } from '@parcours/db';
import type { MembershipRole } from '@parcours/vocabulary';
import { asc, eq } from 'drizzle-orm';

export interface AgentOrganisation {
  id: string;
  name: string;
  kind: string;
  roles: MembershipRole[];
}

export interface AgentProfile {
  agent: { id: string; displayName: string };
  organisations: AgentOrganisation[];
}

/** Who the agent is and the organisations they may act for. Agents are staff, not persons followed. */
export async function loadAgentProfile(db: Database, agentId: string): Promise<AgentProfile | null> {
  const [agent] = await db.select({ id: agents.id, displayName: agents.displayName }).from(agents).where(eq(agents.id, agentId));
  if (!agent) return null;
  const rows = await db
    .select({ id: organisations.id, name: organisations.name, kind: organisations.kind, roles: memberships.roles })
    .from(memberships)
    .innerJoin(organisations, eq(organisations.id, memberships.organisationId))
    .where(eq(memberships.agentId, agentId))
    .orderBy(asc(organisations.name));
  return { agent, organisations: rows.map((row) => ({ ...row, roles: row.roles as MembershipRole[] })) };
}
