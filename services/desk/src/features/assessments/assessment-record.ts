import {
  type AssessmentAnswers,
  type AssessmentForm,
  type AssessmentIssue,
  type AssessmentRecord,
  assessmentFormOf,
  type PotentialRight,
  rightsCatalogue,
  summariseAssessment,
} from '@parcours/assessment';
import { assessments, cases, type Transaction } from '@parcours/db';
import type { AssessmentStatus, DataCategory } from '@parcours/vocabulary';
import { eq } from 'drizzle-orm';
import { AppError } from '../../http/app-error.ts';
import type { DeskCall } from '../../http/desk-call.ts';
import { reachedOrRefused } from '../cases/case-access.ts';
import type { AssessmentListItem, AssessmentView } from './assessment.schemas.ts';

export type AssessmentRow = typeof assessments.$inferSelect;
export type CaseRow = typeof cases.$inferSelect;

/** The stored row as the pure lifecycle functions take it. Answers were validated before they were written. */
export function recordOf(row: AssessmentRow): AssessmentRecord {
  return {
    id: row.id,
    caseId: row.caseId,
    formId: row.formId,
    formVersion: row.formVersion,
    status: row.status as AssessmentStatus,
    answers: row.answers as AssessmentAnswers,
    potentialRights: row.potentialRights as PotentialRight[],
    dataCategories: row.dataCategories as DataCategory[],
    completedAt: row.completedAt,
    completedByAgentId: row.completedByAgentId,
    supersedesId: row.supersedesId,
    supersededAt: row.supersededAt,
  };
}

/** The columns a lifecycle step may change. */
export function columnsOf(record: AssessmentRecord, at: Date) {
  return {
    status: record.status,
    answers: record.answers,
    potentialRights: record.potentialRights,
    dataCategories: record.dataCategories,
    completedAt: record.completedAt,
    completedByAgentId: record.completedByAgentId,
    supersedesId: record.supersedesId,
    supersededAt: record.supersededAt,
    updatedAt: at,
  };
}

export function formOf(row: Pick<AssessmentRow, 'formId' | 'formVersion'>): AssessmentForm {
  const form = assessmentFormOf(row.formId, row.formVersion);
  // A released form never disappears; a missing one is a deployment error, not the caller's.
  if (!form) throw new Error(`assessment form ${row.formId}@${row.formVersion} is not released in this version`);
  return form;
}

/** The package's French issues as the problem's field list. */
export function validationError(issues: readonly AssessmentIssue[], prefix = ''): AppError {
  return new AppError('validation_failed', 'L’évaluation contient des réponses invalides ou manquantes.', {
    errors: issues.map((issue) => ({
      field: issue.path.startsWith('[') ? `${prefix.replace(/\.$/, '')}${issue.path}` : `${prefix}${issue.path}`,
      message: issue.message,
    })),
  });
}

export const closedCaseError = () =>
  new AppError('event_not_allowed', 'Le dossier est clos : son évaluation ne change plus.', { allowedEvents: [] });

/**
 * Locks the case, then the assessment (the engine's order: case first), and returns both; null when the
 * assessment does not exist.
 */
/**
 * Locks an assessment the acting organisation reaches (case, then assessment: the engine's order), or
 * audits the refusal and answers null — a foreign id looks exactly like an unknown one.
 */
export async function lockReachableAssessment(
  tx: Transaction,
  assessmentId: string,
  call: DeskCall,
  action: string,
): Promise<{ caseRow: CaseRow; row: AssessmentRow } | null> {
  const locked = await lockAssessment(tx, assessmentId);
  return reachedOrRefused(tx, call, locked, (found) => found.caseRow, {
    action,
    subjectIds: locked ? [locked.caseRow.id, assessmentId] : [assessmentId],
  });
}

async function lockAssessment(tx: Transaction, assessmentId: string) {
  const [found] = await tx.select({ caseId: assessments.caseId }).from(assessments).where(eq(assessments.id, assessmentId));
  if (!found) return null;
  const [caseRow] = await tx.select().from(cases).where(eq(cases.id, found.caseId)).for('update');
  const [row] = await tx.select().from(assessments).where(eq(assessments.id, assessmentId)).for('update');
  if (!caseRow || !row) return null;
  return { caseRow, row };
}

/** Rights whose catalogue entry belongs to a health-tagged domain reveal health data (AAH, APA, CSS…). */
function isHealthRevealing(form: AssessmentForm, right: PotentialRight): boolean {
  const healthDomains = new Set(form.domains.filter((domain) => domain.dataCategory === 'health').map((domain) => domain.code));
  return (rightsCatalogue[right.right].domains as readonly string[]).some((domain) => healthDomains.has(domain));
}

/**
 * What the caller sees of an assessment. Without health access, the answers of health-tagged domains,
 * the MAIA screening (medical and functional problems) and the rights that reveal them are left out,
 * and `withheld` says so.
 */
export function assessmentViewOf(row: AssessmentRow, access: { health: boolean }): AssessmentView {
  const form = formOf(row);
  const record = recordOf(row);
  let answers = record.answers;
  let rights = record.potentialRights;
  const withheld: DataCategory[] = [];
  if (!access.health) {
    const healthDomains = new Set(form.domains.filter((domain) => domain.dataCategory === 'health').map((domain) => domain.code));
    const { caseManagement: _screening, ...rest } = answers;
    answers = {
      ...rest,
      needs: Object.fromEntries(Object.entries(answers.needs).filter(([domain]) => !healthDomains.has(domain))),
    };
    rights = rights.filter((right) => !isHealthRevealing(form, right));
    if (record.dataCategories.includes('health')) withheld.push('health');
  }
  const summary = summariseAssessment(form, answers, rights);
  return {
    id: row.id,
    caseId: row.caseId,
    formId: row.formId,
    formVersion: row.formVersion,
    status: record.status,
    answers: { ...answers, needs: answers.needs ?? {} },
    potentialRights: rights,
    dataCategories: record.dataCategories,
    withheld,
    summary,
    createdByAgentId: row.createdByAgentId,
    createdByOrganisationId: row.createdByOrganisationId,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    completedAt: row.completedAt?.toISOString() ?? null,
    completedByAgentId: row.completedByAgentId,
    supersedesId: row.supersedesId,
    supersededAt: row.supersededAt?.toISOString() ?? null,
  };
}

export function assessmentListItemOf(row: AssessmentRow): AssessmentListItem {
  return {
    id: row.id,
    caseId: row.caseId,
    formId: row.formId,
    formVersion: row.formVersion,
    status: row.status as AssessmentStatus,
    dataCategories: row.dataCategories as DataCategory[],
    createdAt: row.createdAt.toISOString(),
    completedAt: row.completedAt?.toISOString() ?? null,
    supersedesId: row.supersedesId,
    supersededAt: row.supersededAt?.toISOString() ?? null,
  };
}

export const immutableError = () =>
  new AppError(
    'assessment_immutable',
    'Cette évaluation est terminée et ne se modifie plus : commencez une nouvelle évaluation.',
  );
