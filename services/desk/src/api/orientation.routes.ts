import { caseIdParams } from '../features/cases/case.schemas.ts';
import { chooseOrientation } from '../features/orientation/choose-orientation.ts';
import { getOrientationSuggestions } from '../features/orientation/get-orientation-suggestions.ts';
import { listOrientationChoices } from '../features/orientation/list-orientation-choices.ts';
import {
  chooseOrientationBody,
  chosenOrientation,
  orientationChoiceList,
  orientationSuggestions,
  orientationSuggestionsQuery,
} from '../features/orientation/orientation.schemas.ts';
import { caseNotFound } from '../http/not-found.ts';
import { defineRoute } from '../http/route.ts';

export const getOrientationSuggestionsRoute = defineRoute({
  operationId: 'getOrientationSuggestions',
  method: 'get',
  path: '/api/v1/cases/{caseId}/orientation-suggestions',
  summary: 'Services suggérés à partir de l’évaluation terminée et de la commune de la personne, classés, chacun avec sa raison',
  tags: ['orientation'],
  access: { kind: 'acting', permission: 'orientation.suggest' },
  params: caseIdParams,
  query: orientationSuggestionsQuery,
  responses: { 200: { description: 'Les suggestions, de la plus adaptée à la moins adaptée', schema: orientationSuggestions } },
  problems: {
    409: 'Pas d’évaluation terminée (assessment-required) ou commune de la personne inconnue (commune-required)',
  },
  handle: async ({ call, params, query, deps }) => {
    const found = await getOrientationSuggestions(deps.db, deps.directory, params.caseId, query, call);
    if (!found) throw caseNotFound();
    return { status: 200, body: found, headers: { 'Cache-Control': 'private, no-store' } };
  },
});

export const chooseOrientationRoute = defineRoute({
  operationId: 'chooseOrientation',
  method: 'post',
  path: '/api/v1/cases/{caseId}/orientation-choices',
  summary: 'Choisir un service (suggéré ou non : hors suggestions, un motif est obligatoire) ; crée l’orientation en brouillon',
  tags: ['orientation'],
  access: { kind: 'acting', permission: 'orientation.choose' },
  params: caseIdParams,
  body: chooseOrientationBody,
  responses: {
    201: {
      description: 'Le choix enregistré et l’orientation en brouillon (ou pourquoi il n’y en a pas)',
      schema: chosenOrientation,
    },
  },
  problems: {
    409: 'Dossier clos (event-not-allowed), ou service déjà choisi dont l’orientation n’est pas terminée (orientation-already-chosen)',
  },
  handle: async ({ call, params, body, deps }) => {
    const chosen = await chooseOrientation(deps.db, deps.directory, params.caseId, body, call);
    if (!chosen) throw caseNotFound();
    return { status: 201, body: chosen };
  },
});

export const listOrientationChoicesRoute = defineRoute({
  operationId: 'listOrientationChoices',
  method: 'get',
  path: '/api/v1/cases/{caseId}/orientation-choices',
  summary: 'Les choix d’orientation du dossier, avec leur service et leur orientation',
  tags: ['orientation'],
  access: { kind: 'acting', permission: 'case.read' },
  params: caseIdParams,
  responses: { 200: { description: 'Les choix, du plus ancien au plus récent', schema: orientationChoiceList } },
  handle: async ({ call, params, deps }) => {
    const list = await listOrientationChoices(deps.db, deps.directory, params.caseId, call);
    if (!list) throw caseNotFound();
    return { status: 200, body: list };
  },
});

export const orientationRoutes = [getOrientationSuggestionsRoute, chooseOrientationRoute, listOrientationChoicesRoute];
