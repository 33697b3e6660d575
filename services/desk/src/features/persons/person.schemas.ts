import { organisationKinds } from '@parcours/vocabulary';
import { z } from 'zod';
import { inputDate } from '../../http/input-dates.ts';

/** A name holds at least one letter: one made of emoji or punctuation alone reduces to nothing to search by. */
const name = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .refine((value) => /\p{L}/u.test(value), 'Ce nom doit contenir au moins une lettre.');
const inseeCommuneCode = z
  .string()
  .regex(/^(?:\d{5}|2[AB]\d{3})$/, 'La commune doit être donnée par son code INSEE, par exemple 05061 pour Gap.');
const birthDate = inputDate().refine(
  (value) => value <= new Date().toISOString().slice(0, 10),
  'La date de naissance est dans le futur',
);

export const createPersonBody = z.strictObject({
  familyName: name(100),
  givenNames: name(200),
  birthName: name(100).optional(),
  birthDate: birthDate.optional(),
  communeInsee: inseeCommuneCode.optional(),
  phone: z
    .string()
    .trim()
    .regex(/^\+?[0-9 .()-]{6,20}$/, 'Numéro de téléphone invalide')
    .optional(),
  email: z.email().max(254).optional(),
});
export type CreatePersonBody = z.infer<typeof createPersonBody>;

export const person = z.object({
  id: z.uuid(),
  familyName: z.string(),
  givenNames: z.string(),
  birthName: z.string().nullable(),
  birthDate: z.string().nullable(),
  communeInsee: z.string().nullable(),
  phone: z.string().nullable(),
  email: z.string().nullable(),
});
export type Person = z.infer<typeof person>;

export const searchPersonsBody = z.strictObject({
  familyName: name(100),
  givenNames: name(200).optional(),
  birthDate: birthDate.optional(),
  communeInsee: inseeCommuneCode.optional(),
});
export type SearchPersonsBody = z.infer<typeof searchPersonsBody>;

export const matchReasons = [
  'family_name',
  'family_name_close',
  'birth_name',
  'given_names',
  'first_given_name',
  'birth_date',
  'commune',
] as const;
export type MatchReason = (typeof matchReasons)[number];

export const duplicateCandidate = z.object({
  person,
  /** 0–100: how likely this is the same person. */
  score: z.number().int().min(0).max(100),
  reasons: z.array(z.enum(matchReasons)),
});
export type DuplicateCandidate = z.infer<typeof duplicateCandidate>;

/** A person of the territory the identity matches, recorded by another structure: only that, and by whom. */
export const knownElsewhere = z.object({
  /** Opaque, signed for the searching organisation, valid two hours: links its contact to her (`linkKnownPerson`). */
  matchToken: z.string(),
  /** The kinds of structure that recorded her (France Services, CCAS…): never which one, her file or her case. */
  structureKinds: z.array(z.enum(organisationKinds)),
});
export type KnownElsewhere = z.infer<typeof knownElsewhere>;

export const searchPersonsResult = z.object({ candidates: z.array(duplicateCandidate), knownElsewhere: z.array(knownElsewhere) });

export const linkKnownPersonBody = z.strictObject({ matchToken: z.string().min(1).max(300) });
export type LinkKnownPersonBody = z.infer<typeof linkKnownPersonBody>;
