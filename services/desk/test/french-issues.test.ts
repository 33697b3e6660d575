import { describe, expect, it } from 'vitest';
import { openCaseBody } from '../src/features/cases/case.schemas.ts';
import { recordConsentBody, withdrawConsentBody } from '../src/features/consents/consent.schemas.ts';
import { createPersonBody, searchPersonsBody } from '../src/features/persons/person.schemas.ts';
import { answerReferralBody } from '../src/features/referrals/referral.schemas.ts';
import { AppError } from '../src/http/app-error.ts';
import { parseInput } from '../src/http/validate.ts';
import { parseForm } from '../src/pages/form-errors.ts';

/** The French messages a body gets through the API's parsing (400 problem's `errors`). */
function apiErrorsOf(schema: Parameters<typeof parseInput>[0], body: unknown): Record<string, string> {
  try {
    parseInput(schema, body, 'body');
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    return Object.fromEntries((error.details.errors ?? []).map((issue) => [issue.field, issue.message]));
  }
  throw new Error('the body was accepted');
}

// Words of the schema's vocabulary that a person must never read.
const schemaWords = /attendu|reçu|indéfini|undefined|string|number|Entrée invalide|Option invalide|Trop (petit|grand)/;

describe('one French wording of validation issues, in the API and the pages', () => {
  it('when a person is created without her names, then each field says in French that it is missing', () => {
    expect(apiErrorsOf(createPersonBody, {})).toEqual({
      familyName: 'Le nom de famille est obligatoire.',
      givenNames: 'Les prénoms sont obligatoires.',
    });
    const form = parseForm(createPersonBody, { familyName: '', givenNames: 'Rose' }, ['familyName', 'givenNames']);
    expect(form).toMatchObject({ ok: false, errors: { familyName: 'Le nom de famille est obligatoire.' } });
  });

  it('when fields are too long, malformed, unknown or of the wrong kind, then the sentence names the field and the rule', () => {
    const errors = apiErrorsOf(createPersonBody, {
      familyName: 'M'.repeat(101),
      givenNames: 42,
      email: 'rose@',
      nickname: 'Rosie',
    });
    expect(errors).toEqual({
      familyName: 'Le nom de famille ne doit pas dépasser 100 caractères.',
      givenNames: 'Les prénoms doivent être un texte.',
      email: 'L’adresse e-mail n’est pas une adresse e-mail valide.',
      '': 'Champ inconnu : nickname.',
    });
    expect(apiErrorsOf(searchPersonsBody, { familyName: 'Martin', communeInsee: 'Gap' }).communeInsee).toMatch(/^La commune /);
    // What the form's date field refuses (max = today), the server refuses too, for the search as for creation.
    for (const schema of [searchPersonsBody, createPersonBody]) {
      expect(apiErrorsOf(schema, { familyName: 'Martin', givenNames: 'Rose', birthDate: '2199-01-01' }).birthDate).toBe(
        'La date de naissance est dans le futur',
      );
    }
  });

  it('when choices are not among those offered, then the message says so about the field, in French', () => {
    const opened = apiErrorsOf(openCaseBody, { channel: 'pigeon' });
    expect(opened.channel).toBe('La valeur choisie pour le canal d’accueil n’est pas proposée : choisissez dans la liste.');
    const answered = apiErrorsOf(answerReferralBody, {
      expectedRevision: -1,
      answer: { type: 'SET_APPOINTMENT', mode: 'visio' },
    });
    expect(answered.expectedRevision).toBe('La version du dossier doit valoir au moins 0.');
    expect(answered['answer.at']).toBe('La date du rendez-vous est obligatoire.');
  });

  it('whatever is wrong in the main bodies, no message speaks the schema’s vocabulary', () => {
    const bodies: Array<[Parameters<typeof parseInput>[0], unknown[]]> = [
      [createPersonBody, [{}, { familyName: 1, givenNames: [], birthDate: 'hier', phone: 'x', email: 3 }, null, []]],
      [openCaseBody, [{}, { members: 'Rose', channel: 7, expressedRequest: null }]],
      [recordConsentBody, [{}, { decision: 'maybe', purposes: 'all', categories: [1] }]],
      [withdrawConsentBody, [{}, { withdrawnBy: 0 }]],
      [answerReferralBody, [{}, { answer: { type: 'NOPE' } }, { expectedRevision: '1', answer: null }]],
    ];
    for (const [schema, inputs] of bodies) {
      for (const input of inputs) {
        for (const [field, message] of Object.entries(apiErrorsOf(schema, input))) {
          expect(message, `${field}: ${message}`).not.toMatch(schemaWords);
          expect(message, `${field}: ${message}`).toMatch(/^[A-ZÀ-Ý«]/);
        }
      }
    }
  });
});
