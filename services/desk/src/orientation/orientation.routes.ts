import { caseIdParams } from '../cases/case.schemas.ts';
import { AppError } from '../errors/app-error.ts';
import { defineRoute } from '../openapi/route-registry.ts';
import { chooseOrientation } from './choose-orientation.ts';
import { getOrientationSuggestions } from './get-orientation-suggestions.ts';
import { listOrientationChoices } from './list-orientation-choices.ts';
import {
  chooseOrientationBody,
  chosenOrientation,
  orientationChoiceList,
  orientationSuggestions,
  orientationSuggestionsQuery,
} from './orientation.schemas.ts';

const caseNotFound = () => new AppError('not_found', 'Ce dossier est introuvable.');

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
  handle: async ({ caller, params, query, requestId, deps }) => {
    const found = await getOrientationSuggestions(deps.db, deps.directory, params.caseId, query, {
      agent: caller,
      requestId,
      clock: deps.clock,
    });
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
  handle: async ({ caller, params, body, requestId, deps }) => {
    const chosen = await chooseOrientation(deps.db, deps.directory, params.caseId, body, {
      agent: caller,
      requestId,
      clock: deps.clock,
    });
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
  handle: async ({ caller, params, requestId, deps }) => {
    const list = await listOrientationChoices(deps.db, deps.directory, params.caseId, {
      agent: caller,
      requestId,
      clock: deps.clock,
    });
    if (!list) throw caseNotFound();
    return { status: 200, body: list };
  },
});

export const orientationRoutes = [getOrientationSuggestionsRoute, chooseOrientationRoute, listOrientationChoicesRoute];
