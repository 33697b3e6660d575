import { agents, type Executor, memberships, organisations } from '@parcours/db';
import type { MembershipRole } from '@parcours/vocabulary';
import { eq, sql } from 'drizzle-orm';
import { holdsPermission } from '../../policy/access-policy.ts';

/** What the page header and navigation show of the logged-in agent (staff data, never person data). */
export interface DeskHeader {
  displayName: string;
  organisationName: string | null;
  canChangeOrganisation: boolean;
  /** Holds the roles that read and answer the referrals addressed to the organisation (« Orientations reçues »). */
  receivesReferrals: boolean;
  /** How many of them wait for an answer; filled by the page kit when `receivesReferrals`. */
  referralsWaiting: number;
  seesCases: boolean;
  receivesPeople: boolean;
  readsAudit: boolean;
  /** « Exploitation »: failed jobs and undelivered mail (admins). */
  runsOperations: boolean;
  /** « Pilotage »: supervision's figures (the territory's for a supervisor, the organisation's for the others). */
  readsSupervision: boolean;
}

/** The header's agent and organisation names, read from the session's ids; null when the agent is gone. */
export async function getDeskHeader(db: Executor, agentId: string, organisationId: string | null): Promise<DeskHeader | null> {
  // One query: the agent's name, the acting organisation's, and how many organisations they belong to.
  const [row] = await db
    .select({
      displayName: agents.displayName,
      organisationName: sql<
        string | null
      >`(select ${organisations.name} from ${organisations} where ${organisations.id} = ${organisationId})`,
      memberships: sql<number>`(select count(*)::int from ${memberships} where ${memberships.agentId} = ${agents.id})`,
      // The navigation shows what the roles in the acting organisation allow.
      roles: sql<
        string[] | null
      >`(select ${memberships.roles} from ${memberships} where ${memberships.agentId} = ${agents.id} and ${memberships.organisationId} = ${organisationId})`,
    })
    .from(agents)
    .where(eq(agents.id, agentId));
  if (!row) return null;
  // The navigation offers what the policy allows the roles held in the acting organisation.
  const roles = (row.roles ?? []) as MembershipRole[];
  return {
    displayName: row.displayName,
    organisationName: row.organisationName,
    canChangeOrganisation: row.memberships > 1,
    receivesReferrals: holdsPermission(roles, 'partner.inbox'),
    referralsWaiting: 0,
    seesCases: holdsPermission(roles, 'case.list'),
    receivesPeople: holdsPermission(roles, 'person.search'),
    readsAudit: holdsPermission(roles, 'audit.read'),
    runsOperations: holdsPermission(roles, 'operations.read'),
    readsSupervision: holdsPermission(roles, 'supervision.read'),
  };
}
