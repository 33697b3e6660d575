import type { Request, Response } from 'express';
import type { z } from 'zod';
import { communeLabelOf, communeOfInput, communesOfDepartement } from '../features/communes/communes.ts';
import { departementOfTerritory } from '../features/communes/territory-departement.ts';
import { createPerson } from '../features/persons/create-person.ts';
import { linkKnownPerson } from '../features/persons/link-known-person.ts';
import type { KnownElsewhere } from '../features/persons/person.schemas.ts';
import {
  createPersonBody,
  type DuplicateCandidate,
  type SearchPersonsBody,
  searchPersonsBody,
} from '../features/persons/person.schemas.ts';
import { searchPersons } from '../features/persons/search-persons.ts';
import { AppError } from '../http/app-error.ts';
import type { DeskCall } from '../http/desk-call.ts';
import { emptyValues, type FieldErrors, parseForm } from './form-errors.ts';
import { matchReasonLabels, organisationKindLabels } from './labels.ts';
import { type PagesDependencies, renderPage, setFlash } from './page-context.ts';
import { type AnyPageRoute, definePage } from './page-route.ts';
import { textOf } from './sharing-context.ts';
import { parisTodayOf } from './view-engine.ts';

const searchFields = ['familyName', 'givenNames', 'birthDate', 'communeInsee'] as const;
const createFields = ['familyName', 'givenNames', 'birthName', 'birthDate', 'communeInsee', 'phone', 'email'] as const;

/**
 * The commune field takes a name (« gap », « Gap (05061) » as suggested), a postal or an INSEE code; the form is
 * parsed with the INSEE code it designates. A name that designates none, or several, is the field's error.
 */
async function parsePersonForm<T extends z.ZodType>(
  deps: PagesDependencies,
  call: DeskCall,
  schema: T,
  body: unknown,
  fields: readonly string[],
): Promise<{ ok: true; data: z.output<T> } | { ok: false; errors: FieldErrors; values: Record<string, string> }> {
  const submitted = (body ?? {}) as Record<string, unknown>;
  const typed = textOf(submitted.communeInsee).trim();
  const resolved = typed ? communeOfInput(typed, await departementOfTerritory(deps.db, call.agent.territoryId)) : null;
  const form = parseForm(schema, { ...submitted, communeInsee: resolved?.ok ? resolved.code : '' }, fields);
  if (resolved && !resolved.ok) {
    const values = form.ok ? { ...emptyValues(fields), ...(form.data as Record<string, string>) } : form.values;
    return {
      ok: false,
      errors: { ...(form.ok ? {} : form.errors), communeInsee: resolved.message },
      values: { ...values, communeInsee: typed },
    };
  }
  if (!form.ok) return { ...form, values: { ...form.values, communeInsee: resolved?.ok ? communeLabelOf(resolved.code) : '' } };
  return form;
}

/** The form's values as shown again: the commune by its name, with its code. */
const shownValues = (values: Record<string, string | undefined>) => ({
  ...values,
  ...(values.communeInsee ? { communeInsee: communeLabelOf(values.communeInsee) } : {}),
});

interface PersonsPageState {
  search: { values: Record<string, string>; errors: FieldErrors };
  /** Null until a search was made: the creation form only comes after a search. */
  results: { candidates: DuplicateCandidate[]; knownElsewhere?: KnownElsewhere[] } | null;
  create: { values: Record<string, string>; errors: FieldErrors };
  status?: number;
  /** The département whose communes the commune fields suggest. */
  departement: string | null;
}

function candidateView(candidate: DuplicateCandidate) {
  const { person } = candidate;
  return {
    id: person.id,
    name: `${person.familyName.toUpperCase()} ${person.givenNames}`,
    birthName: person.birthName,
    birthDate: person.birthDate,
    communeInsee: person.communeInsee,
    score: candidate.score,
    likelihood: candidate.score >= 80 ? 'forte' : candidate.score >= 60 ? 'moyenne' : 'faible',
    badge: candidate.score >= 80 ? 'warning' : 'info',
    reasons: candidate.reasons.map((reason) => matchReasonLabels[reason]).join(', '),
  };
}

async function renderPersons(deps: PagesDependencies, req: Request, res: Response, state: PersonsPageState): Promise<void> {
  const errorList = (errors: FieldErrors, prefix: string) =>
    Object.entries(errors).map(([field, message]) => ({ anchor: `${prefix}-${field}`, message }));
  await renderPage(
    deps,
    req,
    res,
    'persons',
    {
      title: state.results ? 'Résultats de la recherche de personne' : 'Trouver ou créer une personne',
      today: parisTodayOf(deps.clock.now()),
      search: { ...state.search, summary: errorList(state.search.errors, 'recherche') },
      results: state.results
        ? {
            count: state.results.candidates.length,
            candidates: state.results.candidates.map(candidateView),
            knownElsewhere: (state.results.knownElsewhere ?? []).map((match) => ({
              matchToken: match.matchToken,
              structures: match.structureKinds.map((kind) => organisationKindLabels[kind]).join(', '),
            })),
          }
        : null,
      create: { ...state.create, summary: errorList(state.create.errors, 'creation') },
      communeSuggestions: state.departement
        ? communesOfDepartement(state.departement).map((commune) => `${commune.name} (${commune.code})`)
        : [],
    },
    { nav: 'persons', status: state.status },
  );
}

function searchOf(values: {
  familyName: string;
  givenNames?: string;
  birthDate?: string;
  communeInsee?: string;
}): SearchPersonsBody {
  return {
    familyName: values.familyName,
    ...(values.givenNames ? { givenNames: values.givenNames } : {}),
    ...(values.birthDate ? { birthDate: values.birthDate } : {}),
    ...(values.communeInsee ? { communeInsee: values.communeInsee } : {}),
  };
}

/**
 * Search first, then create: the creation form only appears under the search's results, and a person
 * with possible duplicates is created only once the agent states none of them is the one. Names travel
 * in POST bodies, never in an address.
 */
export const findPersonPage = definePage({
  method: 'get',
  path: '/personnes',
  access: { kind: 'acting', permission: 'person.search' },
  handle: async ({ req, res, deps, call }) => {
    await renderPersons(deps, req, res, {
      search: { values: emptyValues(searchFields), errors: {} },
      results: null,
      create: { values: emptyValues(createFields), errors: {} },
      departement: await departementOfTerritory(deps.db, call.agent.territoryId),
    });
  },
});

export const searchPersonsPage = definePage({
  method: 'post',
  path: '/personnes/recherche',
  access: { kind: 'acting', permission: 'person.search' },
  handle: async ({ req, res, deps, call }) => {
    const departement = await departementOfTerritory(deps.db, call.agent.territoryId);
    const form = await parsePersonForm(deps, call, searchPersonsBody, req.body, searchFields);
    if (!form.ok) {
      await renderPersons(deps, req, res, {
        search: { values: form.values, errors: form.errors },
        results: null,
        create: { values: emptyValues(createFields), errors: {} },
        status: 400,
        departement,
      });
      return;
    }
    const results = await searchPersons(deps.db, form.data, call, deps.identityMatchSecret);
    await renderPersons(deps, req, res, {
      search: { values: shownValues({ ...emptyValues(searchFields), ...form.data }) as Record<string, string>, errors: {} },
      results,
      create: { values: shownValues({ ...emptyValues(createFields), ...form.data }) as Record<string, string>, errors: {} },
      departement,
    });
  },
});

export const createPersonPage = definePage({
  method: 'post',
  path: '/personnes',
  access: { kind: 'acting', permission: 'person.create' },
  handle: async ({ req, res, deps, call }) => {
    const departement = await departementOfTerritory(deps.db, call.agent.territoryId);
    const form = await parsePersonForm(deps, call, createPersonBody, req.body, createFields);
    const confirmed = (req.body as { confirmNoDuplicate?: unknown }).confirmNoDuplicate === 'oui';
    if (!form.ok) {
      const familyName = form.values.familyName ?? '';
      // The duplicates are searched again without the commune, which may be what was wrong.
      const results = familyName
        ? await searchPersons(deps.db, searchOf({ ...form.values, familyName, communeInsee: '' }), call, deps.identityMatchSecret)
        : null;
      await renderPersons(deps, req, res, {
        search: { values: pick(form.values, searchFields), errors: {} },
        results: results ?? { candidates: [] },
        create: { values: form.values, errors: form.errors },
        status: 400,
        departement,
      });
      return;
    }
    // The duplicates are looked for again at creation: the list the agent saw may be stale.
    const results = await searchPersons(deps.db, searchOf(form.data), call, deps.identityMatchSecret);
    // A person known here, or elsewhere in the territory, is not created again unless the agent says so.
    if ((results.candidates.length > 0 || results.knownElsewhere.length > 0) && !confirmed) {
      const values = shownValues({ ...emptyValues(createFields), ...form.data }) as Record<string, string>;
      await renderPersons(deps, req, res, {
        search: { values: pick(values, searchFields), errors: {} },
        results,
        create: {
          values,
          errors: {
            confirmNoDuplicate: 'Vérifiez les personnes déjà connues ci-dessus, puis cochez cette case si aucune n’est la bonne.',
          },
        },
        status: 409,
        departement,
      });
      return;
    }
    const person = await createPerson(deps.db, form.data, call, deps.identityMatchSecret);
    setFlash(req, { kind: 'success', message: 'La personne est enregistrée. Vous pouvez ouvrir son dossier.' });
    res.redirect(303, `/dossiers/nouveau?personne=${person.id}`);
  },
});

/**
 * Links the contact to a person another structure of the territory recorded (from a search's « connue
 * dans le territoire »): the match token rides in the form, never in an address.
 */
export const linkKnownPersonPage = definePage({
  method: 'post',
  path: '/personnes/rattachement',
  access: { kind: 'acting', permission: 'person.create' },
  handle: async ({ req, res, deps, call }) => {
    const matchToken = textOf((req.body as Record<string, unknown> | undefined)?.matchToken);
    try {
      const person = await linkKnownPerson(deps.db, { matchToken }, call, deps.identityMatchSecret);
      setFlash(req, {
        kind: 'success',
        message:
          'Contact rattaché à la personne déjà connue du territoire : vous pouvez ouvrir son dossier dans votre structure.',
      });
      res.redirect(303, `/dossiers/nouveau?personne=${person.id}`);
    } catch (error) {
      if (!(error instanceof AppError && error.code === 'validation_failed')) throw error;
      setFlash(req, { kind: 'error', message: error.message });
      res.redirect(303, '/personnes');
    }
  },
});

export const personsPages: AnyPageRoute[] = [findPersonPage, searchPersonsPage, createPersonPage, linkKnownPersonPage];

function pick(values: Record<string, string>, keys: readonly string[]): Record<string, string> {
  return Object.fromEntries(keys.map((key) => [key, values[key] ?? '']));
}
