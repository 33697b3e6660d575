import { disclosableCategories } from '@parcours/consent';
import {
  agents,
  caseEvents,
  caseMembers,
  cases,
  caseTimers,
  type Executor,
  organisations,
  personIdentities,
  referrals,
} from '@parcours/db';
import type { DataCategory, ReferralPurpose } from '@parcours/vocabulary';
import { and, asc, eq, inArray, isNull } from 'drizzle-orm';
import { auditCallOf, type DeskCall } from '../../http/desk-call.ts';
import { activeReferralStatuses } from '../../policy/access-policy.ts';
import { recordAudit } from '../audit/audit-writer.ts';
import { consentFactsOf } from '../consents/consent.repository.ts';
import type { CaseDetail, CaseTimeline } from './case.schemas.ts';
import { reachableCaseOf } from './case-access.ts';
import { caseStateOf } from './case-state.ts';

/**
 * The reads of a case the cases feature's use cases share, inside the caller's actor transaction: each
 * checks the case is reachable (or audits the refusal and answers null) and audits what it read.
 */

/** A case with its members; null when it does not exist or the organisation does not reach it. */
export async function readCaseDetail(tx: Executor, caseId: string, call: DeskCall): Promise<CaseDetail | null> {
  const row = await reachableCaseOf(tx, caseId, call, 'case.read');
  if (!row) return null;
  const members = await tx
    .select({
      personId: caseMembers.personId,
      role: caseMembers.role,
      familyName: personIdentities.familyName,
      givenNames: personIdentities.givenNames,
      birthDate: personIdentities.birthDate,
      communeInsee: personIdentities.communeInsee,
    })
    .from(caseMembers)
    .leftJoin(personIdentities, eq(personIdentities.personId, caseMembers.personId))
    .where(eq(caseMembers.caseId, caseId))
    .orderBy(asc(caseMembers.createdAt), asc(caseMembers.personId));
  await recordAudit(
    tx,
    call.agent,
    {
      action: 'case.read',
      subjectKind: 'case',
      subjectIds: [caseId, ...members.map((member) => member.personId)],
      outcome: 'allowed',
    },
    auditCallOf(call),
  );
  return {
    ...caseStateOf(row),
    channel: row.channel as CaseDetail['channel'],
    expressedRequest: row.expressedRequest,
    entryOrganisationId: row.entryOrganisationId,
    referentOrganisationId: row.referentOrganisationId,
    referentAgentId: row.referentAgentId,
    closureReason: row.closureReason,
    openedAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    closedAt: row.closedAt?.toISOString() ?? null,
    members: members.map((member) => ({ ...member, role: member.role as CaseDetail['members'][number]['role'] })),
  };
}

/** Every step of the case and of its referrals, oldest first; null when unknown or not reachable. */
export async function readCaseTimeline(tx: Executor, caseId: string, call: DeskCall): Promise<CaseTimeline | null> {
  if (!(await reachableCaseOf(tx, caseId, call, 'case.timeline'))) return null;
  await recordAudit(
    tx,
    call.agent,
    { action: 'case.timeline', subjectKind: 'case', subjectIds: [caseId], outcome: 'allowed' },
    auditCallOf(call),
  );
  const events = await tx.select().from(caseEvents).where(eq(caseEvents.caseId, caseId)).orderBy(asc(caseEvents.sequence));
  return {
    caseId,
    events: events.map((event) => ({
      sequence: event.sequence,
      revision: event.revision,
      referralId: event.referralId,
      eventType: event.eventType,
      payload: event.payload as Record<string, unknown>,
      actor: {
        kind: event.actorKind as CaseTimeline['events'][number]['actor']['kind'],
        id: event.actorId,
        organisationId: event.actorOrganisationId,
      },
      fromState: event.fromState,
      toState: event.toState,
      at: event.at.toISOString(),
    })),
  };
}

/** Staff and organisation names for a case page, and its machine version: staff data, not person data. */
export interface CaseNames {
  machineVersion: number;
  agents: Map<string, string>;
  organisations: Map<string, string>;
  /** The recipient organisation of each referral of the case, by referral id (its name is in `organisations`). */
  referralRecipients: Map<string, string>;
}

/** Staff and organisation names for the case page (not person data), in two queries. */
export async function readCaseNames(db: Executor, detail: CaseDetail, timeline: CaseTimeline): Promise<CaseNames> {
  const agentIds = new Set<string>();
  const organisationIds = new Set<string>([detail.entryOrganisationId, detail.referentOrganisationId]);
  if (detail.referentAgentId) agentIds.add(detail.referentAgentId);
  for (const event of timeline.events) {
    if (event.actor.kind === 'agent' && event.actor.id) agentIds.add(event.actor.id);
    if (event.actor.organisationId) organisationIds.add(event.actor.organisationId);
  }
  const recipients = await db
    .select({ id: referrals.id, toOrganisationId: referrals.toOrganisationId })
    .from(referrals)
    .where(eq(referrals.caseId, detail.id));
  for (const recipient of recipients) organisationIds.add(recipient.toOrganisationId);
  const [agentRows, organisationRows, [version]] = await Promise.all([
    agentIds.size === 0
      ? []
      : db
          .select({ id: agents.id, name: agents.displayName })
          .from(agents)
          .where(inArray(agents.id, [...agentIds])),
    db
      .select({ id: organisations.id, name: organisations.name })
      .from(organisations)
      .where(inArray(organisations.id, [...organisationIds])),
    db.select({ machineVersion: cases.machineVersion }).from(cases).where(eq(cases.id, detail.id)),
  ]);
  return {
    machineVersion: version?.machineVersion ?? 1,
    agents: new Map(agentRows.map((row) => [row.id, row.name])),
    organisations: new Map(organisationRows.map((row) => [row.id, row.name])),
    referralRecipients: new Map(recipients.map((row) => [row.id, row.toOrganisationId])),
  };
}

/**
 * The case's active referrals no consent of the person opens any more to their recipient (a consent
 * withdrawn, in part or whole): their partner has lost access, and the referrer is warned on the case page.
 */
export async function readReferralsNoLongerCovered(
  tx: Executor,
  detail: CaseDetail,
  now: Date,
): Promise<Array<{ id: string; toOrganisationId: string }>> {
  const personId = detail.members.find((member) => member.role === 'primary')?.personId;
  if (!personId) return [];
  const active = await tx
    .select({
      id: referrals.id,
      toOrganisationId: referrals.toOrganisationId,
      purpose: referrals.purpose,
      sharedCategories: referrals.sharedCategories,
    })
    .from(referrals)
    .where(and(eq(referrals.caseId, detail.id), inArray(referrals.status, [...activeReferralStatuses])));
  if (active.length === 0) return [];
  const consents = await consentFactsOf(tx, personId);
  return active
    .filter(
      (referral) =>
        disclosableCategories(
          consents,
          {
            recipientOrganisationId: referral.toOrganisationId,
            purpose: referral.purpose as ReferralPurpose,
            categories: referral.sharedCategories as DataCategory[],
          },
          now,
          { mayReadHealth: true },
        ) === null,
    )
    .map(({ id, toOrganisationId }) => ({ id, toOrganisationId }));
}

/** The case's own deadlines still armed (not the referrals'): the case page says what is due before when. */
export async function readPendingDeadlines(tx: Executor, caseId: string): Promise<Array<{ delayName: string; dueAt: string }>> {
  const rows = await tx
    .select({ delayName: caseTimers.delayName, dueAt: caseTimers.dueAt })
    .from(caseTimers)
    .where(and(eq(caseTimers.caseId, caseId), isNull(caseTimers.referralId), eq(caseTimers.status, 'armed')))
    .orderBy(caseTimers.dueAt);
  return rows.map((row) => ({ delayName: row.delayName, dueAt: row.dueAt.toISOString() }));
}
