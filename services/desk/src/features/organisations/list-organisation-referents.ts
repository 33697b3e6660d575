import { agents, type Executor, memberships } from '@parcours/db';
import { and, asc, eq, sql } from 'drizzle-orm';

/** The agents holding the référent role in an organisation, by name (staff data): the work list's filter. */
export function listOrganisationReferents(db: Executor, organisationId: string) {
  return db
    .select({ id: agents.id, name: agents.displayName })
    .from(memberships)
    .innerJoin(agents, eq(agents.id, memberships.agentId))
    .where(and(eq(memberships.organisationId, organisationId), sql`'referent' = any(${memberships.roles})`))
    .orderBy(asc(agents.displayName));
}
