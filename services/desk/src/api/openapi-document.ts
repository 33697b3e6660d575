import { z } from 'zod';
import { appErrorStatuses } from '../http/app-error.ts';
import { sessionCookieName } from '../http/database-session.store.ts';
import { problemContentType } from '../http/problem.ts';
import type { AnyRoute, ResponseSpec } from '../http/route.ts';

type JsonSchema = Record<string, unknown>;

/** JSON Schema 2020-12, the dialect of OpenAPI 3.1, describing what a client sends (input) or gets. */
function jsonSchemaOf(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    io,
    unrepresentable: 'any',
  }) as JsonSchema;
  return rest;
}

const problemSchema: JsonSchema = {
  type: 'object',
  required: ['type', 'title', 'status', 'detail', 'requestId'],
  properties: {
    type: { type: 'string', format: 'uri' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string', description: 'En français, pour la personne devant l’écran' },
    requestId: { type: 'string', description: 'À communiquer au support' },
    allowedEvents: { type: 'array', items: { type: 'string' }, description: '409 event-not-allowed : les événements possibles' },
    currentRevision: { type: 'integer', description: '409 revision-conflict : la révision actuelle' },
    errors: {
      type: 'array',
      items: {
        type: 'object',
        required: ['field', 'message'],
        properties: { field: { type: 'string' }, message: { type: 'string' } },
      },
    },
  },
};

const problemResponse = (description: string) => ({
  description,
  content: { [problemContentType]: { schema: { $ref: '#/components/schemas/Problem' } } },
});

/** The failures a route can answer, from what it declares: access, path ids, body. */
function problemResponsesOf(route: AnyRoute): Record<string, unknown> {
  const responses: Record<string, unknown> = {};
  if (route.body || route.params || route.query)
    responses[400] = problemResponse('Requête invalide (JSON illisible, champs invalides)');
  if (route.access.kind !== 'public') responses[401] = problemResponse('Non connecté');
  if (route.access.kind === 'acting') responses[403] = problemResponse('Pas de structure choisie, ou rôle insuffisant');
  else if (route.method === 'post') responses[403] = problemResponse('Origine non autorisée');
  if (route.params) responses[404] = problemResponse('Introuvable (ou hors de portée de la structure : indiscernable)');
  if (route.operationId === 'sendCaseEvent')
    responses[409] = problemResponse('Événement impossible à cette étape, ou révision périmée');
  for (const [status, description] of Object.entries(route.problems ?? {})) responses[status] = problemResponse(description);
  if (route.body) {
    responses[413] = problemResponse('Corps trop volumineux');
    responses[415] = problemResponse('Le corps doit être en JSON');
  }
  if (route.operationId === 'login') responses[429] = problemResponse('Trop de tentatives de connexion');
  responses[appErrorStatuses.internal] = problemResponse('Erreur interne ; le requestId permet de retrouver la trace');
  return responses;
}

function successResponseOf(spec: ResponseSpec) {
  return {
    description: spec.description,
    ...(spec.headers
      ? {
          headers: Object.fromEntries(
            Object.entries(spec.headers).map(([name, header]) => [name, { ...header, schema: { type: 'string' } }]),
          ),
        }
      : {}),
    ...(spec.schema ? { content: { 'application/json': { schema: jsonSchemaOf(spec.schema, 'output') } } } : {}),
    ...(spec.csv ? { content: { 'text/csv': { schema: { type: 'string' } } } } : {}),
  };
}

function parametersOf(route: AnyRoute) {
  const parameters: unknown[] = [];
  for (const [location, schema] of [
    ['path', route.params],
    ['query', route.query],
  ] as const) {
    if (!schema) continue;
    const object = jsonSchemaOf(schema, 'input') as { properties?: Record<string, JsonSchema>; required?: string[] };
    for (const [name, property] of Object.entries(object.properties ?? {})) {
      parameters.push({
        name,
        in: location,
        required: location === 'path' || (object.required ?? []).includes(name),
        schema: property,
      });
    }
  }
  return parameters;
}

/** OpenAPI 3.1 from the route registry: the document and the routes are the same objects. */
export function buildOpenApiDocument(routes: readonly AnyRoute[]) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const parameters = parametersOf(route);
    paths[route.path] ??= {};
    (paths[route.path] as Record<string, unknown>)[route.method] = {
      operationId: route.operationId,
      summary: route.summary,
      tags: route.tags,
      ...(route.access.kind === 'public' ? { security: [] } : {}),
      ...(parameters.length > 0 ? { parameters } : {}),
      ...(route.body
        ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchemaOf(route.body, 'input') } } } }
        : {}),
      responses: {
        ...Object.fromEntries(Object.entries(route.responses).map(([status, spec]) => [status, successResponseOf(spec)])),
        ...problemResponsesOf(route),
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Parcours — API du guichet',
      version: '1.0.0',
      description:
        'Accueil, dossiers et parcours des personnes. Les noms ne figurent jamais dans les adresses ; chaque lecture de données personnelles est tracée.',
    },
    servers: [{ url: '/' }],
    security: [{ sessionCookie: [] }],
    paths,
    components: {
      schemas: { Problem: problemSchema },
      securitySchemes: { sessionCookie: { type: 'apiKey', in: 'cookie', name: sessionCookieName } },
    },
  };
}
