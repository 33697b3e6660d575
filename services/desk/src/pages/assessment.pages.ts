import {
  ageOn,
  assessmentFormOf,
  caseManagementCriteria,
  needLevelLabels,
  type RightCode,
  rightCodes,
  rightsCatalogue,
  rightsForPerson,
  urgencies,
  urgencyScale,
} from '@parcours/assessment';
import { nonTakeUpReasons, type PotentialRightStatus, potentialRightStatuses } from '@parcours/vocabulary';
import type { Request, Response } from 'express';
import { z } from 'zod';
import type { AssessmentView } from '../features/assessments/assessment.schemas.ts';
import { completeAssessment } from '../features/assessments/complete-assessment.ts';
import { createAssessment } from '../features/assessments/create-assessment.ts';
import { followUpPotentialRight } from '../features/assessments/follow-up-potential-right.ts';
import { getAssessment, listCaseAssessments } from '../features/assessments/get-assessment.ts';
import { saveAssessmentDraft } from '../features/assessments/save-assessment-draft.ts';
import { getCase } from '../features/cases/get-case.ts';
import { AppError } from '../http/app-error.ts';
import type { DeskCall } from '../http/desk-call.ts';
import { assessmentNotFound, caseNotFound } from '../http/not-found.ts';
import {
  type AssessmentFormState,
  assessmentFormModelOf,
  draftBodyOf,
  errorsOf,
  formStateOfBody,
  formStateOfView,
  maiaQuestions,
  urgencyDelays,
  urgencyLabels,
} from './assessment-form.model.ts';
import { type PagesDependencies, renderPage, setFlash } from './page-context.ts';
import { type AnyPageRoute, definePage } from './page-route.ts';
import { parisTodayOf } from './view-engine.ts';

const caseIdParam = z.object({ caseId: z.uuid() });
const assessmentIdParam = z.object({ assessmentId: z.uuid() });
const rightParams = z.object({ assessmentId: z.uuid(), right: z.enum(rightCodes) });

export const rightStatusLabels: Record<PotentialRightStatus, string> = {
  identified: 'Repéré',
  requested: 'Demandé',
  opened: 'Ouvert',
  refused: 'Refusé',
  not_requested: 'Non demandé',
};

/** Follow-up choices offered from each status (the use case holds the rule and refuses anything else). */
const followUpChoices: Record<PotentialRightStatus, readonly PotentialRightStatus[]> = {
  identified: ['requested', 'opened', 'refused', 'not_requested'],
  requested: ['opened', 'refused'],
  opened: [],
  refused: [],
  not_requested: [],
};

const statusLabels: Record<AssessmentView['status'], string> = {
  draft: 'Brouillon',
  completed: 'En vigueur',
  superseded: 'Remplacée',
};

function formOfView(view: AssessmentView) {
  const form = assessmentFormOf(view.formId, view.formVersion);
  if (!form) throw new Error(`unknown assessment form ${view.formId}@${view.formVersion}`);
  return form;
}

function personNameOf(detail: NonNullable<Awaited<ReturnType<typeof getCase>>>): string {
  const primary = detail.members.find((member) => member.role === 'primary') ?? detail.members[0];
  return primary?.familyName && primary.givenNames
    ? `${primary.givenNames} ${primary.familyName.toUpperCase()}`
    : 'Personne anonymisée';
}

async function readAssessment(deps: PagesDependencies, assessmentId: string, call: DeskCall) {
  const view = await getAssessment(deps.db, assessmentId, call);
  if (!view) throw assessmentNotFound();
  const detail = await getCase(deps.db, view.caseId, call);
  if (!detail) throw caseNotFound();
  return { view, detail };
}

async function renderForm(
  deps: PagesDependencies,
  req: Request,
  res: Response,
  input: {
    view: AssessmentView;
    detail: NonNullable<Awaited<ReturnType<typeof getCase>>>;
    state: AssessmentFormState;
    issues: ReadonlyArray<{ field: string; message: string }>;
    status?: number;
  },
): Promise<void> {
  const form = formOfView(input.view);
  const { byField, summary } = errorsOf(input.issues, form);
  // Her age today (Paris) from her birth date: with the situation's answers, what the rights' conditions read.
  const primary = input.detail.members.find((member) => member.role === 'primary') ?? input.detail.members[0];
  const age = ageOn(primary?.birthDate ?? null, parisTodayOf(deps.clock.now()));
  const suggested = rightsForPerson(form, { needs: input.view.answers.needs, situation: input.state.situation }, age);
  const followed = new Map(input.view.potentialRights.map((right) => [right.right, right.status]));
  await renderPage(
    deps,
    req,
    res,
    'assessment-form',
    {
      title: summary.length > 0 ? 'Erreurs — évaluation de la situation' : 'Évaluation de la situation',
      assessmentId: input.view.id,
      caseId: input.view.caseId,
      personName: personNameOf(input.detail),
      caseExpressedRequest: input.detail.expressedRequest,
      withheldHealth: input.view.withheld.includes('health'),
      summary,
      model: assessmentFormModelOf(form, input.state, byField, suggested, followed),
    },
    { status: input.status },
  );
}

async function renderSummary(
  deps: PagesDependencies,
  req: Request,
  res: Response,
  call: DeskCall,
  view: AssessmentView,
  options: { rightError?: { right: RightCode; message: string; status: string; reason: string }; status?: number } = {},
): Promise<void> {
  const detail = await getCase(deps.db, view.caseId, call);
  if (!detail) throw caseNotFound();
  const history = await listCaseAssessments(deps.db, view.caseId, call);
  if (!history) throw caseNotFound();
  const form = formOfView(view);
  const needsByUrgency = [...urgencies]
    .reverse()
    .map((urgency) => ({
      urgency,
      label: urgencyLabels[urgency],
      delay: urgencyDelays[urgency],
      needs: view.summary.needs
        .filter((need) => need.urgency === urgency)
        .map((need) => ({
          label: need.label,
          level: needLevelLabels[need.level],
          severe: need.level === 'severe',
          health: need.health,
          note: view.answers.needs[need.domain]?.note ?? null,
        })),
    }))
    .filter((group) => group.needs.length > 0);
  const rights = view.potentialRights.map((right) => {
    const error = options.rightError?.right === right.right ? options.rightError : null;
    return {
      code: right.right,
      label: rightsCatalogue[right.right].label,
      name: rightsCatalogue[right.right].name,
      body: rightsCatalogue[right.right].instructedBy.body,
      status: right.status,
      statusLabel: rightStatusLabels[right.status],
      final: followUpChoices[right.status].length === 0,
      nonTakeUpReason: right.nonTakeUpReason ? nonTakeUpReasons[right.nonTakeUpReason] : null,
      choices: followUpChoices[right.status].map((status) => ({
        value: status,
        label: rightStatusLabels[status],
        selected: error?.status === status,
      })),
      reasons: Object.entries(nonTakeUpReasons).map(([code, label]) => ({ code, label, selected: error?.reason === code })),
      error: error?.message ?? null,
    };
  });
  const eligibility = view.summary.caseManagement;
  const canEnterCaseManagement =
    view.status === 'completed' && Boolean(eligibility?.eligible) && detail.allowedEvents.includes('ENTER_CASE_MANAGEMENT');
  const current = view.status === 'completed';
  await renderPage(
    deps,
    req,
    res,
    'assessment-summary',
    {
      title: `Synthèse de l’évaluation — ${statusLabels[view.status]}`,
      assessment: {
        id: view.id,
        caseId: view.caseId,
        status: view.status,
        statusLabel: statusLabels[view.status],
        draft: view.status === 'draft',
        current,
        superseded: view.status === 'superseded',
        completedAt: view.completedAt,
        createdAt: view.createdAt,
        formTitle: form.title,
        formVersion: form.version,
        answered: view.summary.answeredDomains,
        total: view.summary.totalDomains,
      },
      personName: personNameOf(detail),
      expressedRequest: view.summary.expressedRequest?.text || detail.expressedRequest,
      expressedDomains: (view.summary.expressedRequest?.domains ?? []).map(
        (code) => form.domains.find((domain) => domain.code === code)?.label ?? code,
      ),
      needsByUrgency,
      needCount: view.summary.needs.length,
      hasHealth: view.summary.needs.some((need) => need.health),
      withheldHealth: view.withheld.includes('health'),
      rights,
      caseManagement: eligibility
        ? {
            eligible: eligibility.eligible,
            criteria: caseManagementCriteria.map((criterion, index) => ({
              met: eligibility.criteria[index]?.met ?? null,
              reason: eligibility.criteria[index]?.reason ?? '',
              criterion,
            })),
            action: canEnterCaseManagement
              ? { type: 'ENTER_CASE_MANAGEMENT', label: 'Entrer en gestion de cas', reasons: null, secondary: false }
              : null,
          }
        : null,
      maiaQuestionCount: Object.keys(maiaQuestions).length,
      caseRevision: detail.revision,
      caseStageOrientation: detail.stage === 'orientation' || detail.stage === 'followUp',
      history: history.items
        .slice()
        .reverse()
        .map((item) => ({
          id: item.id,
          statusLabel: statusLabels[item.status],
          draft: item.status === 'draft',
          createdAt: item.createdAt,
          completedAt: item.completedAt,
          supersededAt: item.supersededAt,
          isThis: item.id === view.id,
        })),
      urgencyScale,
    },
    { status: options.status },
  );
}

/** The case's assessment: the draft to go on with, else the one in force, else a page to start one. */
export const caseAssessmentPage = definePage({
  method: 'get',
  path: '/dossiers/:caseId/evaluation',
  access: { kind: 'acting', permission: 'assessment.read' },
  handle: async ({ req, res, deps, call }) => {
    const params = caseIdParam.safeParse(req.params);
    if (!params.success) throw caseNotFound();
    const list = await listCaseAssessments(deps.db, params.data.caseId, call);
    if (!list) throw caseNotFound();
    const draft = list.items.find((item) => item.status === 'draft');
    if (draft) {
      res.redirect(303, `/evaluations/${draft.id}`);
      return;
    }
    const current = list.items.find((item) => item.status === 'completed');
    if (current) {
      res.redirect(303, `/evaluations/${current.id}/synthese`);
      return;
    }
    const detail = await getCase(deps.db, params.data.caseId, call);
    if (!detail) throw caseNotFound();
    await renderPage(deps, req, res, 'assessment-start', {
      title: 'Commencer l’évaluation',
      caseId: detail.id,
      personName: personNameOf(detail),
      expressedRequest: detail.expressedRequest,
      closed: detail.closed,
      atReception: detail.allowedEvents.includes('START_ASSESSMENT'),
    });
  },
});

/** Starts a draft (a reassessment starts from the answers in force); a draft already there is simply reopened. */
export const startAssessmentPage = definePage({
  method: 'post',
  path: '/dossiers/:caseId/evaluations',
  access: { kind: 'acting', permission: 'assessment.write' },
  handle: async ({ req, res, deps, call }) => {
    const params = caseIdParam.safeParse(req.params);
    if (!params.success) throw caseNotFound();
    try {
      const created = await createAssessment(deps.db, params.data.caseId, call);
      if (!created) throw caseNotFound();
      setFlash(req, {
        kind: 'success',
        message: 'Évaluation commencée. Chaque partie s’enregistre avec son bouton « Enregistrer ».',
      });
      res.redirect(303, `/evaluations/${created.id}`);
    } catch (error) {
      // A double submit, or another agent started one: go on with the draft in place.
      if (!(error instanceof AppError) || error.code !== 'assessment_draft_exists') throw error;
      setFlash(req, { kind: 'info', message: error.message });
      res.redirect(303, `/dossiers/${params.data.caseId}/evaluation`);
    }
  },
});

export const assessmentFormPage = definePage({
  method: 'get',
  path: '/evaluations/:assessmentId',
  access: { kind: 'acting', permission: 'assessment.write' },
  handle: async ({ req, res, deps, call }) => {
    const params = assessmentIdParam.safeParse(req.params);
    if (!params.success) throw assessmentNotFound();
    const { view, detail } = await readAssessment(deps, params.data.assessmentId, call);
    if (view.status !== 'draft') {
      res.redirect(303, `/evaluations/${view.id}/synthese`);
      return;
    }
    await renderForm(deps, req, res, { view, detail, state: formStateOfView(view, detail.expressedRequest), issues: [] });
  },
});

/**
 * The whole form is saved by any of its « Enregistrer » buttons (nothing typed elsewhere is lost) and
 * the page comes back at the section whose button was pressed; « Terminer » saves, then completes.
 */
export const saveAssessmentFormPage = definePage({
  method: 'post',
  path: '/evaluations/:assessmentId',
  access: { kind: 'acting', permission: 'assessment.write' },
  handle: async ({ req, res, deps, call }) => {
    const params = assessmentIdParam.safeParse(req.params);
    if (!params.success) throw assessmentNotFound();
    const { view, detail } = await readAssessment(deps, params.data.assessmentId, call);
    if (view.status !== 'draft') {
      setFlash(req, { kind: 'warning', message: 'Cette évaluation est terminée : elle ne se modifie plus.' });
      res.redirect(303, `/evaluations/${view.id}/synthese`);
      return;
    }
    const form = formOfView(view);
    const { state, errors } = formStateOfBody(form, req.body);
    if (Object.keys(errors).length > 0) {
      const issues = Object.entries(errors).map(([field, message]) => ({ field, message }));
      await renderForm(deps, req, res, { view, detail, state, issues, status: 400 });
      return;
    }
    const body = req.body as Record<string, unknown>;
    const section = typeof body.section === 'string' && /^[a-z_]{1,40}$/.test(body.section) ? body.section : null;
    try {
      const saved = await saveAssessmentDraft(deps.db, view.id, draftBodyOf(state, view), call);
      if (!saved) throw assessmentNotFound();
      if (body.terminer === undefined) {
        setFlash(req, { kind: 'success', message: 'Brouillon enregistré.' });
        res.redirect(303, `/evaluations/${view.id}${section ? `#section-${section}` : ''}`);
        return;
      }
      const completed = await completeAssessment(deps.db, view.id, call);
      if (!completed) throw assessmentNotFound();
      const moved = completed.journey.sent.includes('COMPLETE_ASSESSMENT');
      setFlash(req, {
        kind: 'success',
        message: moved
          ? 'Évaluation terminée : le dossier passe à l’orientation.'
          : 'Évaluation terminée. Le parcours du dossier n’a pas changé d’étape : faites-le avancer depuis le dossier.',
      });
      res.redirect(303, `/evaluations/${view.id}/synthese`);
    } catch (error) {
      if (!(error instanceof AppError) || error.code !== 'validation_failed') throw error;
      await renderForm(deps, req, res, { view, detail, state, issues: error.details.errors ?? [], status: 400 });
    }
  },
});

export const assessmentSummaryPage = definePage({
  method: 'get',
  path: '/evaluations/:assessmentId/synthese',
  access: { kind: 'acting', permission: 'assessment.read' },
  handle: async ({ req, res, deps, call }) => {
    const params = assessmentIdParam.safeParse(req.params);
    if (!params.success) throw assessmentNotFound();
    const view = await getAssessment(deps.db, params.data.assessmentId, call);
    if (!view) throw assessmentNotFound();
    await renderSummary(deps, req, res, call, view);
  },
});

/** One potential right's follow-up: opened, requested, or refused / not requested with its non-take-up reason. */
export const followUpRightPage = definePage({
  method: 'post',
  path: '/evaluations/:assessmentId/droits/:right',
  access: { kind: 'acting', permission: 'assessment.write' },
  handle: async ({ req, res, deps, call }) => {
    const params = rightParams.safeParse(req.params);
    if (!params.success) throw assessmentNotFound();
    const body = (req.body ?? {}) as Record<string, unknown>;
    const status = typeof body.statut === 'string' ? body.statut : '';
    const reason = typeof body.motif === 'string' ? body.motif : '';
    const anchor = `/evaluations/${params.data.assessmentId}/synthese#droit-${params.data.right}`;
    const showError = async (message: string, statusCode = 400) => {
      const view = await getAssessment(deps.db, params.data.assessmentId, call);
      if (!view) throw assessmentNotFound();
      await renderSummary(deps, req, res, call, view, {
        rightError: { right: params.data.right, message, status, reason },
        status: statusCode,
      });
    };
    if (!(potentialRightStatuses as readonly string[]).includes(status)) {
      await showError('Choisissez la suite donnée au droit.');
      return;
    }
    const needsReason = status === 'refused' || status === 'not_requested';
    if (needsReason && !(reason in nonTakeUpReasons)) {
      await showError('Choisissez le motif de non-recours : le droit est refusé ou non demandé.');
      return;
    }
    try {
      const followed = await followUpPotentialRight(
        deps.db,
        params.data,
        {
          status: status as PotentialRightStatus,
          ...(needsReason ? { nonTakeUpReason: reason as keyof typeof nonTakeUpReasons } : {}),
        },
        call,
      );
      if (!followed) throw assessmentNotFound();
    } catch (error) {
      if (!(error instanceof AppError) || !['validation_failed', 'assessment_immutable'].includes(error.code)) throw error;
      const message = error.details.errors?.[0]?.message ?? error.message;
      await showError(message.charAt(0).toUpperCase() + message.slice(1), error.status);
      return;
    }
    setFlash(req, {
      kind: 'success',
      message: `Suivi du droit ${rightsCatalogue[params.data.right].label} enregistré : ${rightStatusLabels[status as PotentialRightStatus].toLowerCase()}.`,
    });
    res.redirect(303, anchor);
  },
});

export const assessmentPages: AnyPageRoute[] = [
  caseAssessmentPage,
  startAssessmentPage,
  assessmentFormPage,
  saveAssessmentFormPage,
  assessmentSummaryPage,
  followUpRightPage,
];
