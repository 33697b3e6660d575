import {
  assessmentIdParams,
  assessmentList,
  assessmentView,
  completedAssessment,
  followUpPotentialRightBody,
  rightFollowUpParams,
  saveAssessmentDraftBody,
} from '../features/assessments/assessment.schemas.ts';
import { completeAssessment } from '../features/assessments/complete-assessment.ts';
import { createAssessment } from '../features/assessments/create-assessment.ts';
import { followUpPotentialRight } from '../features/assessments/follow-up-potential-right.ts';
import { getAssessment, listCaseAssessments } from '../features/assessments/get-assessment.ts';
import { saveAssessmentDraft } from '../features/assessments/save-assessment-draft.ts';
import { caseIdParams } from '../features/cases/case.schemas.ts';
import { assessmentNotFound, caseNotFound } from '../http/not-found.ts';
import { defineRoute } from '../http/route.ts';

const closedCase = 'Dossier clos (event-not-allowed)';

export const createAssessmentRoute = defineRoute({
  operationId: 'createAssessment',
  method: 'post',
  path: '/api/v1/cases/{caseId}/assessments',
  summary: 'Commencer une évaluation multidimensionnelle (brouillon) ; une réévaluation part des réponses en vigueur',
  tags: ['assessments'],
  access: { kind: 'acting', permission: 'assessment.write' },
  params: caseIdParams,
  responses: { 201: { description: 'Le brouillon', schema: assessmentView } },
  problems: { 409: `Une évaluation est déjà en brouillon sur ce dossier (assessment-draft-exists), ou ${closedCase}` },
  handle: async ({ call, params, deps }) => {
    const created = await createAssessment(deps.db, params.caseId, call);
    if (!created) throw caseNotFound();
    return { status: 201, body: created, headers: { Location: `/api/v1/assessments/${created.id}` } };
  },
});

export const listCaseAssessmentsRoute = defineRoute({
  operationId: 'listCaseAssessments',
  method: 'get',
  path: '/api/v1/cases/{caseId}/assessments',
  summary: 'Les évaluations du dossier, de la plus ancienne à la plus récente (les remplacées restent en historique)',
  tags: ['assessments'],
  access: { kind: 'acting', permission: 'assessment.read' },
  params: caseIdParams,
  responses: { 200: { description: 'L’historique des évaluations', schema: assessmentList } },
  handle: async ({ call, params, deps }) => {
    const list = await listCaseAssessments(deps.db, params.caseId, call);
    if (!list) throw caseNotFound();
    return { status: 200, body: list };
  },
});

export const getAssessmentRoute = defineRoute({
  operationId: 'getAssessment',
  method: 'get',
  path: '/api/v1/assessments/{assessmentId}',
  summary: 'Lire une évaluation et sa synthèse (les réponses de santé seulement aux rôles qui y ont accès)',
  tags: ['assessments'],
  access: { kind: 'acting', permission: 'assessment.read' },
  params: assessmentIdParams,
  responses: { 200: { description: 'L’évaluation ; `withheld` dit ce qui a été retiré', schema: assessmentView } },
  handle: async ({ call, params, deps }) => {
    const found = await getAssessment(deps.db, params.assessmentId, call);
    if (!found) throw assessmentNotFound();
    return { status: 200, body: found, headers: { 'Cache-Control': 'private, no-store' } };
  },
});

export const saveAssessmentDraftRoute = defineRoute({
  operationId: 'saveAssessmentDraft',
  method: 'post',
  path: '/api/v1/assessments/{assessmentId}/draft',
  summary: 'Enregistrer une partie des réponses d’un brouillon (fusionnées domaine par domaine)',
  tags: ['assessments'],
  access: { kind: 'acting', permission: 'assessment.write' },
  params: assessmentIdParams,
  body: saveAssessmentDraftBody,
  responses: { 200: { description: 'Le brouillon enregistré', schema: assessmentView } },
  problems: { 409: `Évaluation terminée : elle ne se modifie plus (assessment-immutable), ou ${closedCase}` },
  handle: async ({ call, params, body, deps }) => {
    const saved = await saveAssessmentDraft(deps.db, params.assessmentId, body, call);
    if (!saved) throw assessmentNotFound();
    return { status: 200, body: saved };
  },
});

export const completeAssessmentRoute = defineRoute({
  operationId: 'completeAssessment',
  method: 'post',
  path: '/api/v1/assessments/{assessmentId}/complete',
  summary:
    'Terminer l’évaluation : elle devient immuable, remplace la précédente, fait passer le dossier à l’orientation ; test MAIA de gestion de cas',
  tags: ['assessments'],
  access: { kind: 'acting', permission: 'assessment.write' },
  params: assessmentIdParams,
  responses: {
    200: { description: 'L’évaluation terminée, l’état du parcours et la gestion de cas proposée', schema: completedAssessment },
  },
  problems: {
    400: 'Réponses manquantes : chaque champ à compléter est listé',
    409: `Évaluation déjà terminée (assessment-immutable), ${closedCase}, ou dossier modifié entre-temps`,
  },
  handle: async ({ call, params, deps }) => {
    const completed = await completeAssessment(deps.db, params.assessmentId, call);
    if (!completed) throw assessmentNotFound();
    return { status: 200, body: completed };
  },
});

export const followUpPotentialRightRoute = defineRoute({
  operationId: 'followUpPotentialRight',
  method: 'post',
  path: '/api/v1/assessments/{assessmentId}/rights/{right}/follow-up',
  summary: 'Suivre un droit potentiel : demandé, ouvert, refusé ou non demandé (avec le motif de non-recours)',
  tags: ['assessments'],
  access: { kind: 'acting', permission: 'assessment.write' },
  params: rightFollowUpParams,
  body: followUpPotentialRightBody,
  responses: { 200: { description: 'L’évaluation avec le suivi du droit', schema: assessmentView } },
  problems: { 409: 'Évaluation remplacée : suivre le droit sur l’évaluation en vigueur (assessment-immutable)' },
  handle: async ({ call, params, body, deps }) => {
    const followed = await followUpPotentialRight(deps.db, params, body, call);
    if (!followed) throw assessmentNotFound();
    return { status: 200, body: followed };
  },
});

export const assessmentRoutes = [
  createAssessmentRoute,
  listCaseAssessmentsRoute,
  getAssessmentRoute,
  saveAssessmentDraftRoute,
  completeAssessmentRoute,
  followUpPotentialRightRoute,
];
