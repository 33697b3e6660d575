import { agents, caseMembers, cases, caseTimers, type Database, personIdentities, withActor } from '@parcours/db';
import type { JourneyStage } from '@parcours/journey';
import type { ReceptionChannel } from '@parcours/vocabulary';
import { and, asc, desc, eq, ne, type SQL, sql } from 'drizzle-orm';
import { auditCallOf, type DeskCall } from '../../http/desk-call.ts';
import { actorOf, reachableCases } from '../../policy/access-policy.ts';
import { recordAudit } from '../audit/audit-writer.ts';

export interface WorkQueueFilters {
  stage?: JourneyStage;
  channel?: ReceptionChannel;
  entryOrganisationId?: string;
  referentAgentId?: string;
}

export interface WorkQueueItem {
  id: string;
  stage: JourneyStage;
  channel: ReceptionChannel;
  entryOrganisationId: string;
  referentAgentId: string | null;
  referentAgentName: string | null;
  primaryMember: { familyName: string; givenNames: string } | null;
  openedAt: Date;
  updatedAt: Date;
  /** The earliest armed deadline of the case or of one of its referrals. */
  nextDeadline: { dueAt: Date; delayName: string } | null;
}

/** A work list is for the day's work: beyond this, filters are the way to narrow it. */
export const workQueueLimit = 500;

/**
 * The cases the acting organisation has to handle (as entry point or référent), open ones unless the
 * closed stage is asked for, the nearest armed deadline first (read from `case_timers`, the truth of
 * deadlines), then the most recently moved. Audited like any list of person data.
 */
export async function listWorkQueue(db: Database, filters: WorkQueueFilters, call: DeskCall): Promise<WorkQueueItem[]> {
  const conditions: SQL[] = [reachableCases(call.agent)];
  if (filters.stage) conditions.push(eq(cases.stage, filters.stage));
  else conditions.push(ne(cases.stage, 'closed'));
  if (filters.channel) conditions.push(eq(cases.channel, filters.channel));
  if (filters.entryOrganisationId) conditions.push(eq(cases.entryOrganisationId, filters.entryOrganisationId));
  if (filters.referentAgentId) conditions.push(eq(cases.referentAgentId, filters.referentAgentId));
  const nextDue = sql<string | null>`(select min(${caseTimers.dueAt}) from ${caseTimers}
    where ${caseTimers.caseId} = ${cases.id} and ${caseTimers.status} = 'armed')`;
  const nextDelay = sql<string | null>`(select ${caseTimers.delayName} from ${caseTimers}
    where ${caseTimers.caseId} = ${cases.id} and ${caseTimers.status} = 'armed' order by ${caseTimers.dueAt} limit 1)`;
  return withActor(db, actorOf(call.agent), async (tx) => {
    const rows = await tx
      .select({
        id: cases.id,
        stage: cases.stage,
        channel: cases.channel,
        entryOrganisationId: cases.entryOrganisationId,
        referentAgentId: cases.referentAgentId,
        referentAgentName: agents.displayName,
        familyName: personIdentities.familyName,
        givenNames: personIdentities.givenNames,
        openedAt: cases.createdAt,
        updatedAt: cases.updatedAt,
        nextDue,
        nextDelay,
      })
      .from(cases)
      .leftJoin(caseMembers, and(eq(caseMembers.caseId, cases.id), eq(caseMembers.role, 'primary')))
      .leftJoin(personIdentities, eq(personIdentities.personId, caseMembers.personId))
      .leftJoin(agents, eq(agents.id, cases.referentAgentId))
      .where(and(...conditions))
      .orderBy(sql`${nextDue} asc nulls last`, desc(cases.updatedAt), asc(cases.id))
      .limit(workQueueLimit);
    await recordAudit(
      tx,
      call.agent,
      { action: 'case.list', subjectKind: 'case', subjectIds: rows.map((row) => row.id), outcome: 'allowed' },
      auditCallOf(call),
    );
    return rows.map((row) => ({
      id: row.id,
      stage: row.stage as JourneyStage,
      channel: row.channel as ReceptionChannel,
      entryOrganisationId: row.entryOrganisationId,
      referentAgentId: row.referentAgentId,
      referentAgentName: row.referentAgentName,
      primaryMember:
        row.familyName !== null && row.givenNames !== null ? { familyName: row.familyName, givenNames: row.givenNames } : null,
      openedAt: row.openedAt,
      updatedAt: row.updatedAt,
      nextDeadline: row.nextDue && row.nextDelay ? { dueAt: new Date(row.nextDue), delayName: row.nextDelay } : null,
    }));
  });
}
