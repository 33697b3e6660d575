import { NeedLevel, Urgency } from '@parcours/assessment';

import { proximities } from '@parcours/directory';
import { bundleCodes, dataCategories, organisationKinds, orientationChoiceReasons, referralPurposes } from '@parcours/vocabulary';
import { z } from 'zod';
import { referralRoutes } from '../directory/directory-cache.ts';

export const orientationSuggestionsQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(50).optional(),
});
export type OrientationSuggestionsQuery = z.infer<typeof orientationSuggestionsQuery>;

/** What a list of suggestions or choices shows of a service; the whole record is one `getDirectoryService` away. */
export const serviceCard = z.object({
  id: z.string(),
  name: z.string(),
  organisationName: z.string(),
  organisationKind: z.enum(organisationKinds),
  bundles: z.array(z.enum(bundleCodes)),
  waitingTimeDays: z.number().int().nullable(),
  acceptsReferrals: z.boolean(),
  /** The service is linked to a Parcours organisation: choosing it creates a draft referral. */
  referable: z.boolean(),
  /** How a referral reaches it: through Parcours, a signed link, or not at all (contact it directly). */
  referralRoute: z.enum(referralRoutes),
});
export type ServiceCard = z.infer<typeof serviceCard>;

export const suggestion = z.object({
  rank: z.number().int(),
  serviceId: z.string(),
  service: serviceCard,
  score: z.number(),
  matchedNeeds: z.array(
    z.object({
      domain: z.string(),
      level: NeedLevel.exclude(['none']),
      urgency: Urgency,
      bundles: z.array(z.enum(bundleCodes)),
    }),
  ),
  proximity: z.enum(proximities),
  points: z.object({
    need: z.number(),
    additionalNeeds: z.number(),
    acceptsReferrals: z.number(),
    proximity: z.number(),
    waitingTime: z.number(),
  }),
  /** One French part per factor… */
  reasons: z.array(z.string()),
  /** … and joined: « besoin : logement, sévère ; dessert Laragne-Montéglin ; accepte les orientations ; délai d’attente 10 jours ». */
  reason: z.string(),
});

export const orientationSuggestions = z.object({
  caseId: z.uuid(),
  assessmentId: z.uuid(),
  communeCode: z.string(),
  communeName: z.string().nullable(),
  /** `id@version` of the rules that ranked the list; recorded with each choice. */
  rulesVersion: z.string(),
  suggestions: z.array(suggestion),
});
export type OrientationSuggestions = z.infer<typeof orientationSuggestions>;

export const chooseOrientationBody = z.strictObject({
  serviceId: z.string().trim().min(1).max(200),
  /** Required when the service is not among the suggestions; `other` needs `reasonText`. */
  reasonCode: z.enum(orientationChoiceReasons).optional(),
  /** About the choice and the service, never about the person. */
  reasonText: z.string().max(500).optional(),
  /** Defaults to the purpose of the need the service answers. */
  purpose: z.enum(referralPurposes).optional(),
  /**
   * Data categories the draft referral would share; the minimum by default. Sharing itself needs the
   * person's consent (consent issue): a draft shares nothing yet.
   */
  sharedCategories: z
    .array(z.enum(dataCategories))
    .min(1)
    .max(dataCategories.length)
    .refine((categories) => new Set(categories).size === categories.length, 'Catégorie en double')
    .optional(),
});
export type ChooseOrientationBody = z.infer<typeof chooseOrientationBody>;

export const orientationChoice = z.object({
  id: z.uuid(),
  caseId: z.uuid(),
  assessmentId: z.uuid().nullable(),
  serviceId: z.string(),
  service: serviceCard.nullable(),
  suggested: z.boolean(),
  suggestionRank: z.number().int().nullable(),
  rulesVersion: z.string().nullable(),
  reasonCode: z.enum(orientationChoiceReasons).nullable(),
  reasonText: z.string().nullable(),
  chosenByAgentId: z.uuid().nullable(),
  chosenByOrganisationId: z.uuid().nullable(),
  chosenAt: z.iso.datetime(),
  referralId: z.uuid().nullable(),
});
export type OrientationChoice = z.infer<typeof orientationChoice>;

export const draftReferral = z.object({
  id: z.uuid(),
  status: z.string(),
  state: z.string(),
  revision: z.number().int(),
  allowedEvents: z.array(z.string()),
  toOrganisationId: z.uuid(),
  purpose: z.enum(referralPurposes),
  sharedCategories: z.array(z.enum(dataCategories)),
});

export const chosenOrientation = z.object({
  choice: orientationChoice,
  /** The draft referral created on the case; null when the service takes orientations outside Parcours. */
  referral: draftReferral.nullable(),
  /** Why no referral was created, in French (contact the service directly). */
  noReferralReason: z.string().nullable(),
});
export type ChosenOrientation = z.infer<typeof chosenOrientation>;

/** A choice as the case lists it: with the current state of its referral, so a live choice shows as such. */
export const listedOrientationChoice = orientationChoice.extend({
  referralState: z.object({ status: z.string(), closedAt: z.iso.datetime().nullable() }).nullable(),
});
export const orientationChoiceList = z.object({ caseId: z.uuid(), items: z.array(listedOrientationChoice) });
export type OrientationChoiceList = z.infer<typeof orientationChoiceList>;
