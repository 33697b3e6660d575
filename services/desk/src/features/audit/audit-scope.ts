import { auditEvents, caseMembers, cases, consents, organisations, persons, referrals } from '@parcours/db';
import { type SQL, sql } from 'drizzle-orm';
import type { ActingAgent } from '../../policy/access-policy.ts';

/**
 * Which audit rows, and whose access log, an agent holding an audit permission may read. Both roles
 * stay inside the territory of the organisation they act for:
 * - a supervisor reads what the agents of the territory's organisations did (rows naming one of them
 *   as the acting organisation);
 * - an auditor reads that too, and the rows without an acting organisation (the system's timers, a
 *   person's own requests) that concern one of the territory's cases.
 */
export function auditRowsInScope(agent: ActingAgent): SQL {
  const territoryOrganisations = sql`(select ${organisations.id} from ${organisations} where ${organisations.territoryId} = ${agent.territoryId})`;
  const byOrganisation = sql`${auditEvents.organisationId} in ${territoryOrganisations}`;
  if (!agent.roles.includes('auditor')) return byOrganisation;
  // Subject ids are text: only the ones shaped like a uuid are looked up (by primary key) among cases.
  return sql`(${byOrganisation} or (${auditEvents.organisationId} is null and exists (
    select 1 from unnest(${auditEvents.subjectIds}) as subject(id)
    join ${cases} on ${cases.id} = (case when subject.id ~ ${uuidPattern} then subject.id::uuid end)
    where ${cases.territoryId} = ${agent.territoryId})))`;
}

const uuidPattern = '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$';

/** A person known in the agent's territory: recorded by one of its organisations, or member of one of its cases. */
export function personInTerritory(agent: ActingAgent, personId: string | SQL): SQL {
  return sql`exists (select 1 from ${persons} where ${persons.id} = ${personId} and (
    ${persons.createdByOrganisationId} in (select ${organisations.id} from ${organisations} where ${organisations.territoryId} = ${agent.territoryId})
    or exists (select 1 from ${caseMembers} join ${cases} on ${cases.id} = ${caseMembers.caseId}
               where ${caseMembers.personId} = ${persons.id} and ${cases.territoryId} = ${agent.territoryId})))`;
}

/** Every id under which the person's data appears in the audit: the person, their cases, referrals and consents. */
export function idsOfPersonFile(personId: string): SQL {
  return sql`(select ${personId}::text
    union select ${caseMembers.caseId}::text from ${caseMembers} where ${caseMembers.personId} = ${personId}
    union select ${referrals.id}::text from ${referrals} join ${caseMembers} on ${caseMembers.caseId} = ${referrals.caseId}
          where ${caseMembers.personId} = ${personId}
    union select ${consents.id}::text from ${consents} where ${consents.personId} = ${personId})`;
}

/**
 * Actions that show the person's data to someone: reads (`*.read`, `*.list`, `*.search`, `*.inbox`,
 * `*.export`, `*.access_log`, `*.suggest` — new read actions must keep to these verbs), and disclosures:
 * an action that names the consent allowing it, sending a referral, handing the file over.
 */
export const readingVerbs = ['read', 'list', 'search', 'inbox', 'export', 'access_log', 'suggest'] as const;
export const disclosingActions = ['referral.send', 'referral.handover'] as const;

export function showsPersonData(): SQL {
  const verbs = `\\.(${readingVerbs.join('|')})$`;
  return sql`${auditEvents.outcome} = 'allowed' and (${auditEvents.consentId} is not null
    or ${auditEvents.action} in (${sql.join(
      disclosingActions.map((action) => sql`${action}`),
      sql`, `,
    )}) or ${auditEvents.action} ~ ${verbs})`;
}

export function accessKindOf(row: { action: string; consentId: string | null }): 'read' | 'disclosure' {
  return row.consentId !== null || (disclosingActions as readonly string[]).includes(row.action) ? 'disclosure' : 'read';
}
