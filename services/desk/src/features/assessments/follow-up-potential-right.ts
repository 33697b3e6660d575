import { type RightCode, recordRightFollowUp } from '@parcours/assessment';
import { assessments, type Database, withActor } from '@parcours/db';
import { eq } from 'drizzle-orm';
import { AppError } from '../../http/app-error.ts';
import { auditCallOf, type DeskCall } from '../../http/desk-call.ts';
import { actorOf, canReadHealthData } from '../../policy/access-policy.ts';
import { recordAudit } from '../audit/audit-writer.ts';
import type { AssessmentView, FollowUpPotentialRightBody } from './assessment.schemas.ts';
import { assessmentViewOf, columnsOf, lockReachableAssessment, recordOf } from './assessment-record.ts';

/**
 * Moves the follow-up of a potential right (requested, then opened / refused / not requested with a
 * non-take-up reason): the basis of non-take-up measurement. Allowed on a draft and on the current
 * completed assessment, whose answers stay frozen; a superseded one is history.
 */
export async function followUpPotentialRight(
  db: Database,
  target: { assessmentId: string; right: RightCode },
  input: FollowUpPotentialRightBody,
  call: DeskCall,
): Promise<AssessmentView | null> {
  const at = call.clock.now();
  return withActor(db, actorOf(call.agent), async (tx) => {
    const locked = await lockReachableAssessment(tx, target.assessmentId, call, 'assessment.right_follow_up');
    if (!locked) return null;
    const record = recordOf(locked.row);
    if (record.status === 'superseded') {
      throw new AppError(
        'assessment_immutable',
        'Cette évaluation a été remplacée : suivez ce droit sur l’évaluation en vigueur.',
      );
    }
    if (!record.potentialRights.some((right) => right.right === target.right)) {
      throw new AppError('not_found', 'Ce droit n’a pas été repéré dans cette évaluation.');
    }
    const moved = recordRightFollowUp(record, target.right, input, at);
    if (!moved.ok) {
      throw new AppError('validation_failed', 'Ce suivi du droit n’est pas possible.', {
        // The body schema already checked the non-take-up reason: what is left is a move the follow-up refuses.
        errors: moved.issues.map((issue) => ({ field: 'status', message: issue.message })),
      });
    }
    const [row] = await tx
      .update(assessments)
      .set(columnsOf(moved.value, at))
      .where(eq(assessments.id, target.assessmentId))
      .returning();
    if (!row) throw new Error('assessment update returned nothing');
    await recordAudit(
      tx,
      call.agent,
      { action: 'assessment.right_follow_up', subjectKind: 'case', subjectIds: [row.caseId, row.id], outcome: 'allowed' },
      auditCallOf(call),
    );
    return assessmentViewOf(row, { health: canReadHealthData(call.agent, locked.caseRow) });
  });
}
