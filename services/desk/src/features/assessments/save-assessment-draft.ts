import { type AssessmentAnswers, saveDraftAnswers, saveDraftRights } from '@parcours/assessment';
import { assessments, type Database, withActor } from '@parcours/db';
import { eq } from 'drizzle-orm';
import { auditCallOf, type DeskCall } from '../../http/desk-call.ts';
import { actorOf, canReadHealthData } from '../../policy/access-policy.ts';
import { recordAudit } from '../audit/audit-writer.ts';
import type { AssessmentView, SaveAssessmentDraftBody } from './assessment.schemas.ts';
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
 * Saves part of a draft's answers (a page saves as it goes). Every value must be valid and every
 * domain known to the assessment's form; completeness is checked only at completion.
 */
export async function saveAssessmentDraft(
  db: Database,
  assessmentId: string,
  input: SaveAssessmentDraftBody,
  call: DeskCall,
): Promise<AssessmentView | null> {
  const at = call.clock.now();
  return withActor(db, actorOf(call.agent), async (tx) => {
    const locked = await lockReachableAssessment(tx, assessmentId, call, 'assessment.save');
    if (!locked) return null;
    if (locked.row.status !== 'draft') throw immutableError();
    if (locked.caseRow.closedAt) throw closedCaseError();
    let record = recordOf(locked.row);
    if (input.answers) {
      const saved = saveDraftAnswers(formOf(locked.row), record, mergeAnswers(record.answers, input.answers));
      if (!saved.ok) throw validationError(saved.issues, 'answers.');
      record = saved.value;
    }
    if (input.potentialRights) {
      const saved = saveDraftRights(record, input.potentialRights);
      if (!saved.ok) throw validationError(saved.issues, 'potentialRights.');
      record = saved.value;
    }
    const [row] = await tx.update(assessments).set(columnsOf(record, at)).where(eq(assessments.id, assessmentId)).returning();
    if (!row) throw new Error('assessment update returned nothing');
    await recordAudit(
      tx,
      call.agent,
      { action: 'assessment.save', subjectKind: 'case', subjectIds: [row.caseId, row.id], outcome: 'allowed' },
      auditCallOf(call),
    );
    return assessmentViewOf(row, { health: canReadHealthData(call.agent, locked.caseRow) });
  });
}

/** Stored answers with the sent ones merged in: per domain, `null` removing one; MAIA answers key by key. */
function mergeAnswers(stored: AssessmentAnswers, sent: NonNullable<SaveAssessmentDraftBody['answers']>): AssessmentAnswers {
  const needs = { ...stored.needs };
  for (const [domain, answer] of Object.entries(sent.needs ?? {})) {
    if (answer === null) delete needs[domain];
    else needs[domain] = answer;
  }
  const expressedRequest = sent.expressedRequest ?? stored.expressedRequest;
  const caseManagement =
    sent.caseManagement || stored.caseManagement ? { ...stored.caseManagement, ...sent.caseManagement } : undefined;
  const situation = sent.situation || stored.situation ? { ...stored.situation, ...sent.situation } : undefined;
  return {
    needs,
    ...(expressedRequest ? { expressedRequest } : {}),
    ...(caseManagement ? { caseManagement } : {}),
    ...(situation ? { situation } : {}),
  };
}
