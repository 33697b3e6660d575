import { bundleCodes, organisationKinds } from '@parcours/vocabulary';
import { z } from 'zod';

/**
 * One service of the directory, flattened the way data·inclusion publishes services (organisation
 * embedded) and mappable field by field onto Open Referral HSDS 3 (see the README's mapping table).
 * Messages are French: they are shown to the person who fixes an import file.
 */

export const InseeCode = z
  .string()
  .regex(/^(?:\d{2}|2[AB])\d{3}$/, { error: 'code commune INSEE invalide (5 caractères, par exemple 05070)' });
export type InseeCode = z.infer<typeof InseeCode>;

const TimeOfDay = z.string().regex(/^(?:[01]\d|2[0-3]):[0-5]\d$/, { error: 'heure invalide (format HH:MM)' });

/** ISO weekday codes, as HSDS `schedule.byday` (RFC 5545). */
export const weekdays = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;
export const Weekday = z.enum(weekdays, { error: 'jour invalide (MO, TU, WE, TH, FR, SA ou SU)' });
export type Weekday = z.infer<typeof Weekday>;

export const weekdayLabels: Record<Weekday, string> = {
  MO: 'lundi',
  TU: 'mardi',
  WE: 'mercredi',
  TH: 'jeudi',
  FR: 'vendredi',
  SA: 'samedi',
  SU: 'dimanche',
};

const opensBeforeCloses = (slot: { opens: string; closes: string }) => slot.opens < slot.closes;

export const OpeningHours = z
  .object({ weekday: Weekday, opens: TimeOfDay, closes: TimeOfDay })
  .refine(opensBeforeCloses, { error: 'l’heure d’ouverture doit précéder l’heure de fermeture', path: ['closes'] });
export type OpeningHours = z.infer<typeof OpeningHours>;

export const Address = z.object({
  street: z.string().min(1),
  postalCode: z.string().regex(/^\d{5}$/, { error: 'code postal invalide (5 chiffres)' }),
  communeCode: InseeCode,
  communeName: z.string().min(1),
});
export type Address = z.infer<typeof Address>;

/** `reception_point`: a place of another structure (e.g. a France Services) where the service holds visio or on-site permanences. */
export const locationKinds = ['premises', 'reception_point'] as const;

export const Location = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  kind: z.enum(locationKinds, { error: 'type de lieu invalide (premises ou reception_point)' }),
  address: Address,
  latitude: z.number().min(-90).max(90).optional(),
  longitude: z.number().min(-180).max(180).optional(),
  /** How to get there: bus line, parking, step-free access. */
  access: z.string().optional(),
  openingHours: z.array(OpeningHours),
});
export type Location = z.infer<typeof Location>;

/** A recurring presence outside the service's premises: itinerant stop, visio or on-site permanence. */
export const permanenceModes = ['itinerant', 'visio', 'on_site'] as const;
export type PermanenceMode = (typeof permanenceModes)[number];
export const permanenceFrequencies = ['weekly', 'every_two_weeks', 'monthly'] as const;

export const Permanence = z
  .object({
    mode: z.enum(permanenceModes, { error: 'mode de permanence invalide (itinerant, visio ou on_site)' }),
    communeCode: InseeCode,
    place: z.string().min(1),
    weekday: Weekday,
    opens: TimeOfDay,
    closes: TimeOfDay,
    frequency: z.enum(permanenceFrequencies, { error: 'fréquence invalide (weekly, every_two_weeks ou monthly)' }),
    note: z.string().optional(),
  })
  .refine(opensBeforeCloses, { error: 'l’heure de début doit précéder l’heure de fin', path: ['closes'] });
export type Permanence = z.infer<typeof Permanence>;

/** Publics, after data·inclusion's `publics` vocabulary. */
export const publics = [
  'all',
  'young_people',
  'families',
  'seniors',
  'people_with_disabilities',
  'jobseekers',
  'minimum_income_recipients',
  'women',
  'migrants',
  'students',
  'homeless',
  'workers',
  'carers',
] as const;
export type Public = (typeof publics)[number];

export const costKinds = ['free', 'paid', 'income_based'] as const;
export const applicationModes = ['walk_in', 'appointment', 'phone', 'email', 'online', 'referral'] as const;

export const Organisation = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  kind: z.enum(organisationKinds, { error: `type d’organisation invalide (${organisationKinds.join(', ')})` }),
  siret: z
    .string()
    .regex(/^\d{14}$/, { error: 'SIRET invalide (14 chiffres)' })
    .optional(),
});
export type Organisation = z.infer<typeof Organisation>;

export const Contact = z.object({
  phone: z
    .string()
    .regex(/^(?:\+33 ?|0)[1-9](?:[ .]?\d{2}){4}$|^\d{4}$|^\d{2,3}$/, { error: 'numéro de téléphone invalide' })
    .optional(),
  email: z.email({ error: 'adresse e-mail invalide' }).optional(),
  website: z.url({ error: 'adresse web invalide' }).optional(),
});
export type Contact = z.infer<typeof Contact>;

const uniqueItems = <T>(items: T[]) => new Set(items).size === items.length;

export const DirectoryService = z.object({
  /** Stable id in the directory: lower-case letters, digits and dashes. */
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{1,99}$/, { error: 'identifiant invalide (minuscules, chiffres et tirets)' }),
  organisation: Organisation,
  name: z.string().min(3, { error: 'nom manquant ou trop court' }),
  description: z.string().min(10, { error: 'description manquante ou trop courte' }),
  bundles: z
    .array(z.enum(bundleCodes, { error: 'bouquet de services inconnu' }))
    .min(1, { error: 'au moins un bouquet de services' })
    .refine(uniqueItems, { error: 'bouquet en double' }),
  publics: z.array(z.enum(publics, { error: 'public inconnu' })).min(1, { error: 'au moins un public' }),
  /** Who may use the service (HSDS eligibility_description). */
  eligibility: z.string(),
  cost: z.object({
    kind: z.enum(costKinds, { error: 'type de coût invalide (free, paid ou income_based)' }),
    description: z.string().optional(),
  }),
  prerequisites: z.array(z.string().min(1)),
  /** Documents to bring (data·inclusion `justificatifs`). */
  documents: z.array(z.string().min(1)),
  howToApply: z.object({
    modes: z
      .array(z.enum(applicationModes, { error: 'mode de demande inconnu' }))
      .min(1, { error: 'au moins un mode de demande' }),
    description: z.string(),
  }),
  locations: z.array(Location),
  permanences: z.array(Permanence),
  communesServed: z
    .array(InseeCode)
    .min(1, { error: 'au moins une commune desservie' })
    .refine(uniqueItems, { error: 'commune desservie en double' }),
  /** Usual days between the request and the first appointment; null when unknown. */
  waitingTimeDays: z
    .int({ error: 'délai d’attente invalide (nombre entier de jours ou null)' })
    .min(0, { error: 'délai d’attente négatif' })
    .nullable(),
  contact: Contact,
  /** The service answers orientations sent through Parcours (as an account or a signed link). */
  acceptsReferrals: z.boolean({ error: 'acceptsReferrals doit valoir true ou false' }),
  active: z.boolean().default(true),
  lastVerifiedAt: z.iso.date({ error: 'date de vérification invalide (AAAA-MM-JJ)' }),
  /**
   * Where an imported service comes from: the publishing source (data·inclusion's `source`, e.g. `dora`, or
   * `hsds`), its id there, and when the source last updated it (`date_maj`). A re-import from the same source
   * updates the same service and reports the ones the source no longer lists. Absent: typed in Parcours.
   */
  source: z
    .object({
      name: z.string().min(1).max(100),
      id: z.string().min(1).max(300),
      updatedAt: z.iso.date({ error: 'date de mise à jour invalide (AAAA-MM-JJ)' }).optional(),
    })
    .optional(),
});
export type DirectoryService = z.infer<typeof DirectoryService>;
/** A service as written in a file, before defaults apply. */
export type DirectoryServiceInput = z.input<typeof DirectoryService>;

export const directoryFormat = 'parcours-directory';
export const directoryFormatVersion = 1;

export const DirectoryFile = z.object({
  format: z.literal(directoryFormat),
  version: z.literal(directoryFormatVersion),
  exportedAt: z.iso.datetime().optional(),
  services: z.array(DirectoryService),
});
export type DirectoryFile = z.infer<typeof DirectoryFile>;
