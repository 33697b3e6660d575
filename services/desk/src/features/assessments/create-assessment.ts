import { randomUUID } from 'node:crypto';
import { currentAssessmentForm, newAssessmentDraft } from '@parcours/assessment';
import { assessments, type Database, withActor } from '@parcours/db';
import { and, eq } from 'drizzle-orm';
import { AppError } from '../../http/app-error.ts';
import { auditCallOf, type DeskCall } from '../../http/desk-call.ts';
import { actorOf, canReadHealthData } from '../../policy/access-policy.ts';
import { recordAudit } from '../audit/audit-writer.ts';
import { reachableCaseOf } from '../cases/case-access.ts';
import type { AssessmentView } from './assessment.schemas.ts';
import { assessmentViewOf, closedCaseError, columnsOf, recordOf } from './assessment-record.ts';

/**
 * Starts a draft assessment on a case the organisation reaches, with the current form. A case has at
 * most one draft (partial unique index; the case row is locked so two agents starting at once get a
 * clear 409). A reassessment starts from the current completed answers when the form is the same.
 */
export async function createAssessment(db: Database, caseId: string, call: DeskCall): Promise<AssessmentView | null> {
  const at = call.clock.now();
  return withActor(db, actorOf(call.agent), async (tx) => {
    const caseRow = await reachableCaseOf(tx, caseId, call, 'assessment.create', { lock: true });
    if (!caseRow) return null;
    if (caseRow.closedAt) throw closedCaseError();
    const open = await tx
      .select()
      .from(assessments)
      .where(and(eq(assessments.caseId, caseId), eq(assessments.status, 'draft')));
    if (open.length > 0) {
      throw new AppError('assessment_draft_exists', 'Une évaluation est déjà en cours sur ce dossier : poursuivez-la.');
    }
    const [current] = await tx
      .select()
      .from(assessments)
      .where(and(eq(assessments.caseId, caseId), eq(assessments.status, 'completed')));
    const draft = newAssessmentDraft({
      id: randomUUID(),
      caseId,
      form: currentAssessmentForm,
      current: current ? recordOf(current) : null,
      caseExpressedRequest: caseRow.expressedRequest,
    });
    // Only a second draft is refused, and it was checked above.
    if (!draft.ok) throw new AppError('assessment_draft_exists', 'Une évaluation est déjà en cours sur ce dossier.');
    const [row] = await tx
      .insert(assessments)
      .values({
        id: draft.value.id,
        caseId,
        formId: draft.value.formId,
        formVersion: draft.value.formVersion,
        ...columnsOf(draft.value, at),
        createdByAgentId: call.agent.agentId,
        createdByOrganisationId: call.agent.organisationId,
        createdAt: at,
      })
      .returning();
    if (!row) throw new Error('assessment insert returned nothing');
    await recordAudit(
      tx,
      call.agent,
      { action: 'assessment.create', subjectKind: 'case', subjectIds: [caseId, row.id], outcome: 'allowed' },
      auditCallOf(call),
    );
    return assessmentViewOf(row, { health: canReadHealthData(call.agent, caseRow) });
  });
}
