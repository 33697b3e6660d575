import type { AssessmentStatus, DataCategory, NonTakeUpReason, PotentialRightStatus } from '@parcours/vocabulary';
import {
  type AssessmentAnswers,
  dataCategoriesOf,
  type Validation,
  validateCompletion,
  validateDraft,
  validatePotentialRights,
} from './assessment-answers.ts';
import type { AssessmentForm } from './assessment-form.schema.ts';
import { followUpRight, type PotentialRight, type RightCode } from './potential-rights.ts';

/**
 * An assessment as the desk loads and stores it (one row of `assessments`). The functions below are
 * pure: they return the next record, or French issues, and the caller writes the result in one
 * transaction.
 */
export interface AssessmentRecord {
  id: string;
  caseId: string;
  formId: string;
  formVersion: number;
  status: AssessmentStatus;
  answers: AssessmentAnswers;
  potentialRights: PotentialRight[];
  dataCategories: DataCategory[];
  completedAt: Date | null;
  completedByAgentId: string | null;
  supersedesId: string | null;
  supersededAt: Date | null;
}

const refuse = (path: string, message: string): Validation<never> => ({ ok: false, issues: [{ path, message }] });

/**
 * A new draft for a case. When the case has a completed assessment, the draft will supersede it and
 * starts from its answers if it uses the same form version (a reassessment rarely starts from nothing).
 */
export function newAssessmentDraft(input: {
  id: string;
  caseId: string;
  form: AssessmentForm;
  current?: AssessmentRecord | null;
  /** The request the case was opened for: a draft without one starts from it (pages and API alike). */
  caseExpressedRequest?: string;
}): Validation<AssessmentRecord> {
  const current = input.current ?? null;
  if (current && current.caseId !== input.caseId) return refuse('caseId', 'l’évaluation en cours appartient à un autre dossier');
  if (current?.status === 'draft') return refuse('status', 'une évaluation en brouillon existe déjà pour ce dossier');
  const sameForm =
    current?.status === 'completed' && current.formId === input.form.id && current.formVersion === input.form.version;
  const answers: AssessmentAnswers = sameForm ? structuredClone(current.answers) : { needs: {} };
  const caseRequest = input.caseExpressedRequest?.trim();
  if (!answers.expressedRequest && caseRequest) answers.expressedRequest = { text: caseRequest.slice(0, 4000), domains: [] };
  return {
    ok: true,
    value: {
      id: input.id,
      caseId: input.caseId,
      formId: input.form.id,
      formVersion: input.form.version,
      status: 'draft',
      answers,
      potentialRights: sameForm
        ? current.potentialRights.filter((right) => right.status === 'identified' || right.status === 'requested')
        : [],
      dataCategories: dataCategoriesOf(input.form, answers),
      completedAt: null,
      completedByAgentId: null,
      supersedesId: current?.status === 'completed' ? current.id : null,
      supersededAt: null,
    },
  };
}

function assertForm(form: AssessmentForm, record: AssessmentRecord): Validation<never> | null {
  return form.id === record.formId && form.version === record.formVersion
    ? null
    : refuse(
        'formId',
        `formulaire ${form.id} v${form.version} différent de celui de l’évaluation (${record.formId} v${record.formVersion})`,
      );
}

/** Saves answers of a draft (partial answers allowed). A completed or superseded assessment never changes. */
export function saveDraftAnswers(form: AssessmentForm, record: AssessmentRecord, input: unknown): Validation<AssessmentRecord> {
  if (record.status !== 'draft')
    return refuse('status', 'une évaluation terminée ne se modifie plus : commencer une nouvelle évaluation');
  const formMismatch = assertForm(form, record);
  if (formMismatch) return formMismatch;
  const answers = validateDraft(form, input);
  if (!answers.ok) return answers;
  return { ok: true, value: { ...record, answers: answers.value, dataCategories: dataCategoriesOf(form, answers.value) } };
}

/** Sets the potential rights identified so far; only on a draft (the list is fixed at completion). */
export function saveDraftRights(record: AssessmentRecord, input: unknown): Validation<AssessmentRecord> {
  if (record.status !== 'draft')
    return refuse('status', 'les droits repérés sont figés à la fin de l’évaluation ; seul leur suivi évolue');
  const rights = validatePotentialRights(input);
  if (!rights.ok) return rights;
  return { ok: true, value: { ...record, potentialRights: rights.value } };
}

export interface Completion {
  assessment: AssessmentRecord;
  /** The assessment this one supersedes, to mark `superseded` in the same transaction, before this one is marked completed. */
  superseded: { id: string; supersededAt: Date } | null;
}

/** Completes a draft when every domain is answered (see validateCompletion); it is immutable from then on. */
export function completeDraft(
  form: AssessmentForm,
  record: AssessmentRecord,
  by: { agentId: string | null; at: Date },
): Validation<Completion> {
  if (record.status !== 'draft') return refuse('status', 'cette évaluation est déjà terminée');
  const formMismatch = assertForm(form, record);
  if (formMismatch) return formMismatch;
  const answers = validateCompletion(form, record.answers);
  if (!answers.ok) return answers;
  return {
    ok: true,
    value: {
      assessment: {
        ...record,
        answers: answers.value,
        dataCategories: dataCategoriesOf(form, answers.value),
        status: 'completed',
        completedAt: by.at,
        completedByAgentId: by.agentId,
      },
      superseded: record.supersedesId ? { id: record.supersedesId, supersededAt: by.at } : null,
    },
  };
}

/**
 * Moves the follow-up of one potential right (identified → requested → opened / refused / not
 * requested). Allowed on a draft and on the current completed assessment: the answers are frozen, the
 * follow-up is not. A superseded assessment's rights are followed on the assessment that replaced it.
 */
export function recordRightFollowUp(
  record: AssessmentRecord,
  right: RightCode,
  update: { status: PotentialRightStatus; nonTakeUpReason?: NonTakeUpReason | undefined },
  at: Date,
): Validation<AssessmentRecord> {
  if (record.status === 'superseded')
    return refuse('status', 'évaluation remplacée : suivre les droits sur l’évaluation en vigueur');
  const index = record.potentialRights.findIndex((candidate) => candidate.right === right);
  const current = record.potentialRights[index];
  if (!current) return refuse(`potentialRights.${right}`, 'droit non repéré dans cette évaluation');
  const next = followUpRight(current, update, at);
  if (!next.ok) return refuse(`potentialRights.${right}`, next.message);
  const potentialRights = record.potentialRights.map((candidate, position) => (position === index ? next.right : candidate));
  return { ok: true, value: { ...record, potentialRights } };
}
