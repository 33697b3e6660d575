import { assessments, cases, type Database, withActor } from '@parcours/db';
import { asc, eq, sql } from 'drizzle-orm';
import { auditCallOf, type DeskCall } from '../../http/desk-call.ts';
import { actorOf, canReadHealthData } from '../../policy/access-policy.ts';
import { recordAudit } from '../audit/audit-writer.ts';
import { reachableCaseOf, reachedOrRefused } from '../cases/case-access.ts';
import type { AssessmentView } from './assessment.schemas.ts';
import { assessmentListItemOf, assessmentViewOf } from './assessment-record.ts';

/**
 * One assessment, or null when it does not exist or its case is out of reach (indistinguishable).
 * Audited in the read's transaction with the case and assessment ids.
 */
export async function getAssessment(db: Database, assessmentId: string, call: DeskCall): Promise<AssessmentView | null> {
  return withActor(db, actorOf(call.agent), async (tx) => {
    const [row] = await tx
      .select({ assessment: assessments, case: cases })
      .from(assessments)
      .innerJoin(cases, eq(cases.id, assessments.caseId))
      .where(eq(assessments.id, assessmentId));
    const found = await reachedOrRefused(tx, call, row, (reached) => reached.case, {
      action: 'assessment.read',
      subjectIds: row ? [row.case.id, assessmentId] : [assessmentId],
    });
    if (!found) return null;
    const view = assessmentViewOf(found.assessment, { health: canReadHealthData(call.agent, found.case) });
    await recordAudit(
      tx,
      call.agent,
      { action: 'assessment.read', subjectKind: 'case', subjectIds: [found.case.id, assessmentId], outcome: 'allowed' },
      auditCallOf(call),
    );
    return view;
  });
}

/** Every assessment of a case, oldest first: superseded ones stay as history. */
export async function listCaseAssessments(db: Database, caseId: string, call: DeskCall) {
  return withActor(db, actorOf(call.agent), async (tx) => {
    const caseRow = await reachableCaseOf(tx, caseId, call, 'assessment.list');
    if (!caseRow) return null;
    const rows = await tx
      .select()
      .from(assessments)
      .where(eq(assessments.caseId, caseId))
      // Same instant (a test clock, an import): history before the current one, the draft last.
      .orderBy(
        asc(assessments.createdAt),
        sql`case ${assessments.status} when 'superseded' then 0 when 'completed' then 1 else 2 end`,
        asc(assessments.completedAt),
        asc(assessments.id),
      );
    await recordAudit(
      tx,
      call.agent,
      { action: 'assessment.list', subjectKind: 'case', subjectIds: [caseId, ...rows.map((row) => row.id)], outcome: 'allowed' },
      auditCallOf(call),
    );
    return { caseId, items: rows.map(assessmentListItemOf) };
  });
}
