import { caseEvents, cases, type Database, withActor } from '@parcours/db';
import { asc, eq } from 'drizzle-orm';
import { recordAudit } from '../audit/record-audit.ts';
import { auditCallOf, type DeskCall } from '../desk-call.ts';
import { actorOf, canReachCase } from '../policy/access-policy.ts';
import type { CaseTimeline } from './case.schemas.ts';

/** Every step of the case and of its referrals, oldest first; null when unknown or not reachable. */
export async function getCaseTimeline(db: Database, caseId: string, call: DeskCall): Promise<CaseTimeline | null> {
  return withActor(db, actorOf(call.agent), async (tx) => {
    const [row] = await tx
      .select({ entryOrganisationId: cases.entryOrganisationId, referentOrganisationId: cases.referentOrganisationId })
      .from(cases)
      .where(eq(cases.id, caseId));
    const reachable = row !== undefined && canReachCase(call.agent, row);
    await recordAudit(
      tx,
      call.agent,
      { action: 'case.timeline', subjectKind: 'case', subjectIds: [caseId], outcome: reachable ? 'allowed' : 'denied' },
      auditCallOf(call),
    );
    if (!reachable) return null;
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
  });
}
