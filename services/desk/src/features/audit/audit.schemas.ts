import { actorKinds } from '@parcours/vocabulary';
import { z } from 'zod';
import { inputInstant } from '../../http/input-dates.ts';

export const auditOutcomes = ['allowed', 'denied', 'failed'] as const;

export const listAuditEventsQuery = z
  .strictObject({
    /** An agent id, partner-link id or person id (ids only, never a name). */
    actorId: z.string().trim().min(1).max(100).optional(),
    organisationId: z.uuid().optional(),
    action: z
      .string()
      .trim()
      .regex(/^[a-z_]+(\.[a-z_]+)*$/, 'Une action comme case.read')
      .max(80)
      .optional(),
    /** Rows whose subject ids include this id (a case, a person, a referral…). */
    subjectId: z.string().trim().min(1).max(100).optional(),
    outcome: z.enum(auditOutcomes).optional(),
    /** Period: from (included) … to (excluded). */
    from: inputInstant().optional(),
    to: inputInstant().optional(),
    page: z.coerce.number().int().min(1).max(10_000).default(1),
    pageSize: z.coerce.number().int().min(1).max(200).default(50),
  })
  .refine((query) => !query.from || !query.to || new Date(query.from) < new Date(query.to), {
    message: 'La fin de la période doit suivre son début',
    path: ['to'],
  });
export type ListAuditEventsQuery = z.infer<typeof listAuditEventsQuery>;

export const auditEvent = z.object({
  sequence: z.number().int(),
  at: z.iso.datetime(),
  actorKind: z.enum(actorKinds),
  actorId: z.string().nullable(),
  organisationId: z.uuid().nullable(),
  action: z.string(),
  subjectKind: z.string(),
  subjectIds: z.array(z.string()),
  purpose: z.string().nullable(),
  consentId: z.uuid().nullable(),
  outcome: z.enum(auditOutcomes),
  requestId: z.string().nullable(),
});
export type AuditEvent = z.infer<typeof auditEvent>;

export const auditEventList = z.object({
  items: z.array(auditEvent),
  page: z.number().int(),
  pageSize: z.number().int(),
  /** Another page follows (no total: counting a large audit on every page would cost more than the page). */
  hasMore: z.boolean(),
});
export type AuditEventList = z.infer<typeof auditEventList>;

export const personIdParams = z.strictObject({ personId: z.uuid() });

const organisationRef = z.object({ id: z.uuid(), name: z.string() });

/** One access to the person's data: a read, or a disclosure (with the consent that allowed it). */
export const personAccess = z.object({
  sequence: z.number().int(),
  at: z.iso.datetime(),
  kind: z.enum(['read', 'disclosure']),
  action: z.string(),
  actorKind: z.enum(actorKinds),
  actorId: z.string().nullable(),
  organisation: organisationRef.nullable(),
  purpose: z.string().nullable(),
  consentId: z.uuid().nullable(),
  /** The ids of the person's file this access touched (the person, a case, a referral, a consent). */
  subjectIds: z.array(z.string()),
});
export type PersonAccess = z.infer<typeof personAccess>;

export const personAccessLog = z.object({
  personId: z.uuid(),
  items: z.array(personAccess),
  /** More accesses exist than the newest ones listed. */
  truncated: z.boolean(),
});
export type PersonAccessLog = z.infer<typeof personAccessLog>;

export const personExport = z.object({
  format: z.literal('parcours.person-export.v1'),
  generatedAt: z.iso.datetime(),
  personId: z.uuid(),
  /** Null once anonymised. */
  identity: z
    .object({
      familyName: z.string(),
      givenNames: z.string(),
      birthName: z.string().nullable(),
      birthDate: z.string().nullable(),
      communeInsee: z.string().nullable(),
      phone: z.string().nullable(),
      email: z.string().nullable(),
    })
    .nullable(),
  record: z.object({
    createdAt: z.iso.datetime(),
    createdBy: organisationRef.nullable(),
    lastContactAt: z.iso.datetime(),
    linkedBy: z.array(z.object({ organisation: organisationRef, linkedAt: z.iso.datetime() })),
    anonymisedAt: z.iso.datetime().nullable(),
  }),
  cases: z.array(
    z.object({
      id: z.uuid(),
      role: z.string(),
      channel: z.string(),
      expressedRequest: z.string(),
      stage: z.string(),
      entryOrganisation: organisationRef,
      referentOrganisation: organisationRef,
      openedAt: z.iso.datetime(),
      closedAt: z.iso.datetime().nullable(),
      closureReason: z.string().nullable(),
      steps: z.array(z.object({ at: z.iso.datetime(), eventType: z.string(), fromState: z.string(), toState: z.string() })),
      assessments: z.array(
        z.object({
          id: z.uuid(),
          formId: z.string(),
          formVersion: z.number().int(),
          status: z.string(),
          answers: z.unknown(),
          potentialRights: z.unknown(),
          completedAt: z.iso.datetime().nullable(),
        }),
      ),
    }),
  ),
  referrals: z.array(
    z.object({
      id: z.uuid(),
      caseId: z.uuid(),
      from: organisationRef,
      to: organisationRef,
      purpose: z.string(),
      sharedCategories: z.array(z.string()),
      status: z.string(),
      sentAt: z.iso.datetime(),
      closedAt: z.iso.datetime().nullable(),
    }),
  ),
  consents: z.array(
    z.object({
      id: z.uuid(),
      decision: z.string(),
      givenBy: z.string(),
      recipients: z.array(organisationRef),
      purposes: z.array(z.string()),
      categories: z.array(z.string()),
      noticeVersion: z.number().int(),
      noticeSha256: z.string(),
      method: z.string(),
      collectedBy: organisationRef,
      collectedAt: z.iso.datetime(),
      expiresAt: z.iso.datetime().nullable(),
      withdrawnAt: z.iso.datetime().nullable(),
    }),
  ),
  /** Every organisation that received or read the person's data. */
  recipients: z.array(organisationRef),
  /** Reads and disclosures of the person's data, newest first. */
  disclosures: z.array(personAccess),
});
export type PersonExport = z.infer<typeof personExport>;
