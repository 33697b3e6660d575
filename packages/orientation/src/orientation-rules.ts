import { multidimensionalFormV1 } from '@parcours/assessment';
import { bundleCodes } from '@parcours/vocabulary';
import { z } from 'zod';

const points = z.number().finite();

/**
 * Orientation rules are data: which bundles answer each need domain, and how much each factor weighs.
 * One pure function (suggestServices) evaluates them, for the API and the page alike. A released
 * (id, version) never changes; the version is recorded with every orientation choice.
 */
export const OrientationRules = z.object({
  id: z.string().regex(/^[a-z][a-z0-9-]*$/),
  version: z.int().positive(),
  /** Need domain → its French short label (for reasons) and the bundles whose services answer it. */
  domains: z.record(z.string(), z.object({ label: z.string().min(1), bundles: z.array(z.enum(bundleCodes)).min(1) })),
  weights: z.object({
    needLevel: z.object({ light: points, moderate: points, severe: points }),
    urgency: z.object({ routine: points, soon: points, urgent: points, immediate: points }),
    /** Per need matched beyond the first: a service that answers several needs at once saves a journey. */
    additionalNeed: points,
    acceptsReferrals: points,
    proximity: z.object({ same_commune: points, same_bassin: points, departement: points, remote_only: points }),
    /** Brackets by usual waiting time, ascending: the first with `upToDays` ≥ the wait applies. */
    waitingTime: z.array(z.object({ upToDays: z.int().nonnegative(), points })).min(1),
    waitingBeyondLastBracket: points,
    waitingUnknown: points,
    /** A service reserved to publics, one of which the person is known to belong to: made for her. */
    targetedPublic: points.default(0),
  }),
  maxSuggestions: z.int().positive(),
  /**
   * Bundles a service is *for*: a service whose main (first) bundle is one of them is suggested only when a need
   * of a domain answered by that bundle is recorded (a shelter for victims of violence is not a housing
   * suggestion without a safety need; a home-help service that also alerts is still one for autonomy).
   */
  exclusiveBundles: z.array(z.enum(bundleCodes)).default([]),
});
export type OrientationRules = z.infer<typeof OrientationRules>;
export type OrientationRulesInput = z.input<typeof OrientationRules>;

/** Version 1: domains and bundles from the assessment form v1 (its README publishes the mapping). */
const rulesV1Input = {
  id: 'parcours-orientation',
  version: 1,
  domains: Object.fromEntries(
    multidimensionalFormV1.domains.map((domain) => [domain.code, { label: domain.shortLabel, bundles: domain.bundles }]),
  ),
  weights: {
    needLevel: { light: 10, moderate: 20, severe: 30 },
    urgency: { routine: 0, soon: 4, urgent: 8, immediate: 12 },
    additionalNeed: 8,
    acceptsReferrals: 10,
    proximity: { same_commune: 15, same_bassin: 8, departement: 0, remote_only: 4 },
    waitingTime: [
      { upToDays: 3, points: 10 },
      { upToDays: 15, points: 6 },
      { upToDays: 45, points: 2 },
    ],
    waitingBeyondLastBracket: -6,
    waitingUnknown: 0,
  },
  maxSuggestions: 10,
} satisfies OrientationRulesInput;
export const orientationRulesV1: OrientationRules = OrientationRules.parse(rulesV1Input);

/**
 * Version 2: version 1's weights, and safety services suggested only for a recorded safety need. The desk
 * passes the person's possible publics (`publicsOfPerson`) with it, so services reserved to others are left out.
 */
export const orientationRulesV2: OrientationRules = OrientationRules.parse({
  ...rulesV1Input,
  version: 2,
  weights: { ...rulesV1Input.weights, targetedPublic: 12 },
  exclusiveBundles: ['securite'],
} satisfies OrientationRulesInput);
