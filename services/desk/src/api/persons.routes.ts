import { createPerson } from '../features/persons/create-person.ts';
import { linkKnownPerson } from '../features/persons/link-known-person.ts';
import {
  createPersonBody,
  linkKnownPersonBody,
  person,
  searchPersonsBody,
  searchPersonsResult,
} from '../features/persons/person.schemas.ts';
import { searchPersons } from '../features/persons/search-persons.ts';
import { defineRoute } from '../http/route.ts';

export const createPersonRoute = defineRoute({
  operationId: 'createPerson',
  method: 'post',
  path: '/api/v1/persons',
  summary: 'Enregistrer une personne (identité tenue à part du dossier)',
  tags: ['persons'],
  access: { kind: 'acting', permission: 'person.create' },
  body: createPersonBody,
  responses: { 201: { description: 'Personne enregistrée', schema: person } },
  handle: async ({ call, body, deps }) => ({
    status: 201,
    body: await createPerson(deps.db, body, call, deps.identityMatchSecret),
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
  handle: async ({ call, body, deps }) => ({
    status: 200,
    body: await searchPersons(deps.db, body, call, deps.identityMatchSecret),
  }),
});

export const linkKnownPersonRoute = defineRoute({
  operationId: 'linkKnownPerson',
  method: 'post',
  path: '/api/v1/persons/links',
  summary:
    'Rattacher le contact à une personne déjà connue d’une autre structure du territoire (trouvée par une recherche), au lieu d’en créer une seconde',
  tags: ['persons'],
  access: { kind: 'acting', permission: 'person.create' },
  body: linkKnownPersonBody,
  responses: { 201: { description: 'La personne, désormais suivie aussi par cette structure', schema: person } },
  handle: async ({ call, body, deps }) => ({
    status: 201,
    body: await linkKnownPerson(deps.db, body, call, deps.identityMatchSecret),
  }),
});
