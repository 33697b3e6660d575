import { caseManagementAnswersOf, caseManagementEligibility, completeDraft } from '@parcours/assessment';
import { assessments, type Database, withActor } from '@parcours/db';
import { sendCaseEvent } from '@parcours/engine';
import { and, eq, ne } from 'drizzle-orm';
import { auditCallOf, type DeskCall } from '../../http/desk-call.ts';
import { actorOf, canReadHealthData } from '../../policy/access-policy.ts';
import { recordAudit } from '../audit/audit-writer.ts';
import { caseStateOf, caseStateOfView } from '../cases/case-state.ts';
import type { CompletedAssessment } from './assessment.schemas.ts';
import {
  assessmentViewOf,
  closedCaseError,
  columnsOf,
  formOf,
  immutableError,
  lockReachableAssessment,
  recordOf,
  validationError,
} from './assessment-record.ts';

/**
 * Completes a draft, in one transaction: the completion rules of the form (400 listing every missing
 * answer), the current completed assessment of the case marked superseded before this one is marked
 * completed (history kept, one current assessment per case), and — when the case is in assessment —
 * COMPLETE_ASSESSMENT sent through the engine. The engine runs on this transaction (a savepoint), so the
 * assessment and the journey commit together or not at all. Otherwise the answer names the events to
 * send. The MAIA test comes back with its reasons; case management is proposed, never entered here.
 */
export async function completeAssessment(
  db: Database,
  assessmentId: string,
  call: DeskCall,
): Promise<CompletedAssessment | null> {
  const at = call.clock.now();
  return withActor(db, actorOf(call.agent), async (tx) => {
    const locked = await lockReachableAssessment(tx, assessmentId, call, 'assessment.complete');
    if (!locked) return null;
    const { caseRow } = locked;
    if (locked.row.status !== 'draft') throw immutableError();
    if (caseRow.closedAt) throw closedCaseError();
    const completion = completeDraft(formOf(locked.row), recordOf(locked.row), { agentId: call.agent.agentId, at });
    if (!completion.ok) throw validationError(completion.issues, 'answers.');

    // The case's current assessment, whichever the draft started from: superseded first, so the partial
    // unique index on completed assessments never sees two.
    const superseded = await tx
      .update(assessments)
      .set({ status: 'superseded', supersededAt: at, updatedAt: at })
      .where(and(eq(assessments.caseId, caseRow.id), eq(assessments.status, 'completed'), ne(assessments.id, assessmentId)))
      .returning({ id: assessments.id });
    const supersededId = superseded[0]?.id ?? null;
    const [row] = await tx
      .update(assessments)
      .set({ ...columnsOf({ ...completion.value.assessment, supersedesId: supersededId }, at) })
      .where(eq(assessments.id, assessmentId))
      .returning();
    if (!row) throw new Error('assessment update returned nothing');

    const before = caseStateOf(caseRow);
    const sent: string[] = [];
    let state = before;
    if (before.allowedEvents.includes('COMPLETE_ASSESSMENT')) {
      const view = await sendCaseEvent(
        tx,
        { caseId: caseRow.id, event: { type: 'COMPLETE_ASSESSMENT' }, expectedRevision: caseRow.revision },
        { actor: actorOf(call.agent), clock: call.clock, requestId: call.requestId },
      );
      state = caseStateOfView(view);
      sent.push('COMPLETE_ASSESSMENT');
    }
    const toSend = state.allowedEvents.includes('START_ASSESSMENT') ? ['START_ASSESSMENT', 'COMPLETE_ASSESSMENT'] : [];
    const eligibility = caseManagementEligibility(caseManagementAnswersOf(completion.value.assessment.answers));
    const reachable = state.allowedEvents.includes('ENTER_CASE_MANAGEMENT') || toSend.length > 0;

    await recordAudit(
      tx,
      call.agent,
      {
        action: 'assessment.complete',
        subjectKind: 'case',
        subjectIds: [caseRow.id, row.id, ...(supersededId ? [supersededId] : [])],
        outcome: 'allowed',
      },
      auditCallOf(call),
    );
    return {
      assessment: assessmentViewOf(row, { health: canReadHealthData(call.agent, caseRow) }),
      supersededId,
      caseManagement: eligibility,
      journey: {
        case: state,
        sent,
        toSend,
        proposed: eligibility.eligible && reachable ? ['ENTER_CASE_MANAGEMENT'] : [],
      },
    };
  });
}
