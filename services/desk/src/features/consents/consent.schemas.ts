import {
  consentDecisions,
  consentGivers,
  consentMethods,
  dataCategories,
  referralPurposes,
  withdrawalChannels,
  withdrawers,
} from '@parcours/vocabulary';
import { z } from 'zod';
import { inputInstant } from '../../http/input-dates.ts';

const shown = z.literal(true, { error: 'Cette information doit avoir été donnée à la personne avant son accord.' });

/**
 * The four pieces of information (CSP L.1110-4, décret 2016-1349): each must be ticked, or the record is
 * refused. A checked part of the input, not a comment in the UI.
 */
export const informationShown = z.strictObject({
  whatIsShared: shown,
  withWhom: shown,
  byWhatMeans: shown,
  whichSecurity: shown,
});

export const noticeShown = z.strictObject({
  version: z.number().int().min(1),
  /** SHA-256 of the exact text shown or printed (from getConsentNotice). */
  sha256: z.string().regex(/^[0-9a-f]{64}$/, 'Empreinte SHA-256 attendue (64 caractères hexadécimaux).'),
});

const common = {
  personId: z.uuid(),
  /** The case during which it is collected, if any. */
  caseId: z.uuid().optional(),
  givenBy: z.enum(consentGivers),
  /** The legal representative, when they are a person of the file. */
  representativePersonId: z.uuid().optional(),
  method: z.enum(consentMethods),
  informationShown,
  notice: noticeShown,
};

const categoryList = z.array(z.enum(dataCategories)).min(1).max(dataCategories.length);
const purposeList = z.array(z.enum(referralPurposes)).min(1).max(referralPurposes.length);
const recipientList = z.array(z.uuid()).min(1).max(20);

export const recordConsentBody = z
  .discriminatedUnion('decision', [
    z.strictObject({
      decision: z.literal('consent'),
      ...common,
      recipientOrganisationIds: recipientList,
      purposes: purposeList,
      categories: categoryList,
      expiresAt: inputInstant().optional(),
    }),
    /** An opposition blocks every non-mandatory sharing: it names nobody. */
    z.strictObject({ decision: z.literal('opposition'), ...common }),
  ])
  .refine((body) => body.givenBy === 'legal_representative' || body.representativePersonId === undefined, {
    path: ['representativePersonId'],
    message: 'Seulement quand l’accord est donné par le représentant légal.',
  });
export type RecordConsentBody = z.infer<typeof recordConsentBody>;

export const consentIdParams = z.strictObject({ consentId: z.uuid() });
export const personIdParams = z.strictObject({ personId: z.uuid() });

export const withdrawConsentBody = z.strictObject({
  withdrawnBy: z.enum(withdrawers),
  channel: z.enum(withdrawalChannels),
  /**
   * Withdraw only these recipients, purposes or categories of the consent; the rest stays in force, as a
   * new record of the narrower scope (a record's scope never changes). Absent, or all lists empty: the
   * whole consent. Withdrawing every recipient, purpose or category withdraws the whole consent.
   */
  only: z
    .strictObject({
      recipientOrganisationIds: z.array(z.uuid()).max(50).default([]),
      purposes: z.array(z.enum(referralPurposes)).max(referralPurposes.length).default([]),
      categories: z.array(z.enum(dataCategories)).max(dataCategories.length).default([]),
    })
    .optional(),
});
export type WithdrawConsentBody = z.infer<typeof withdrawConsentBody>;

const commaList = <T extends z.ZodType<unknown, string>>(item: T) =>
  z
    .string()
    .max(2000)
    .transform((value) => (value === '' ? [] : value.split(',')))
    .pipe(z.array(item).max(20));

/** Codes and organisation ids only: nothing personal goes in this query string. */
export const consentNoticeQuery = z.strictObject({
  recipientOrganisationIds: commaList(z.uuid()).default([]),
  purposes: commaList(z.enum(referralPurposes)).default([]),
  categories: commaList(z.enum(dataCategories)).default([]),
  format: z.enum(['json', 'html']).default('json'),
});
export type ConsentNoticeQuery = z.infer<typeof consentNoticeQuery>;

export const consentNotice = z.object({
  version: z.number().int(),
  sha256: z.string(),
  text: z.string(),
  recipients: z.array(z.object({ id: z.uuid(), name: z.string() })),
});

export const consentView = z.object({
  id: z.uuid(),
  personId: z.uuid(),
  caseId: z.uuid().nullable(),
  decision: z.enum(consentDecisions),
  givenBy: z.enum(consentGivers),
  representativePersonId: z.uuid().nullable(),
  recipientOrganisationIds: z.array(z.uuid()),
  purposes: z.array(z.enum(referralPurposes)),
  categories: z.array(z.enum(dataCategories)),
  noticeVersion: z.number().int(),
  noticeSha256: z.string(),
  method: z.enum(consentMethods),
  collectedByAgentId: z.uuid(),
  collectedByOrganisationId: z.uuid(),
  collectedAt: z.iso.datetime(),
  expiresAt: z.iso.datetime().nullable(),
  withdrawnAt: z.iso.datetime().nullable(),
  withdrawnBy: z.enum(withdrawers).nullable(),
  withdrawalChannel: z.enum(withdrawalChannels).nullable(),
  /** In force now: collected, not expired, not withdrawn. */
  active: z.boolean(),
});
export type ConsentView = z.infer<typeof consentView>;

/** A withdrawal's answer: the consent withdrawn, the record of what stays in force, the referrals it touched. */
export const consentWithdrawal = consentView.extend({
  replacedBy: consentView.nullable(),
  /** Referrals no longer covered: their recipient lost access; those still awaiting an answer were cancelled. */
  affectedReferralIds: z.array(z.uuid()),
});
export type ConsentWithdrawal = z.infer<typeof consentWithdrawal>;
export const consentList = z.object({ items: z.array(consentView) });
