import { defineRoute } from '../openapi/route-registry.ts';
import { createPerson } from './create-person.ts';
import { createPersonBody, person, searchPersonsBody, searchPersonsResult } from './person.schemas.ts';
import { searchPersons } from './search-persons.ts';

export const createPersonRoute = defineRoute({
  operationId: 'createPerson',
  method: 'post',
  path: '/api/v1/persons',
  summary: 'Enregistrer une personne (identité tenue à part du dossier)',
  tags: ['persons'],
  access: { kind: 'acting', permission: 'person.create' },
  body: createPersonBody,
  responses: { 201: { description: 'Personne enregistrée', schema: person } },
  handle: async ({ caller, body, requestId, deps }) => ({
    status: 201,
    body: await createPerson(deps.db, body, { agent: caller, requestId, clock: deps.clock }),
  }),
});

export const searchPersonsRoute = defineRoute({
  operationId: 'searchPersons',
  method: 'post',
  path: '/api/v1/persons/search',
  summary: 'Chercher une personne et ses doublons possibles (par POST : les noms ne vont jamais dans une adresse)',
  tags: ['persons'],
  access: { kind: 'acting', permission: 'person.search' },
  body: searchPersonsBody,
  responses: { 200: { description: 'Candidats, du plus probable au moins probable', schema: searchPersonsResult } },
  handle: async ({ caller, body, requestId, deps }) => ({
    status: 200,
    body: await searchPersons(deps.db, body, { agent: caller, requestId, clock: deps.clock }),
  }),
});
