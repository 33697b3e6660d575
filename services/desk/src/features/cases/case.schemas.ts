import { journeyAgentEventSchema, journeyStages } from '@parcours/journey';
import { caseMemberRoles, receptionChannels } from '@parcours/vocabulary';
import { z } from 'zod';

export const caseIdParams = z.strictObject({ caseId: z.uuid() });

export const openCaseBody = z.strictObject({
  channel: z.enum(receptionChannels),
  /** The request in the person's own words (demande exprimée). */
  expressedRequest: z.string().trim().min(1).max(5000),
  members: z
    .array(z.strictObject({ personId: z.uuid(), role: z.enum(caseMemberRoles) }))
    .min(1)
    .max(20)
    .refine((members) => members.filter((member) => member.role === 'primary').length === 1, 'Un et un seul membre principal')
    .refine(
      (members) => new Set(members.map((member) => member.personId)).size === members.length,
      'Une personne figure deux fois',
    ),
  /** Defaults to the entry organisation. */
  referentOrganisationId: z.uuid().optional(),
});
export type OpenCaseBody = z.infer<typeof openCaseBody>;

/** The state of a case's journey as the engine sees it: what a client needs to send the next event. */
export const caseState = z.object({
  id: z.uuid(),
  stage: z.enum(journeyStages),
  state: z.string(),
  revision: z.number().int(),
  allowedEvents: z.array(z.string()),
  closed: z.boolean(),
});

export const caseMember = z.object({
  personId: z.uuid(),
  role: z.enum(caseMemberRoles),
  /** Null once the person is anonymised. */
  familyName: z.string().nullable(),
  givenNames: z.string().nullable(),
  birthDate: z.string().nullable(),
  communeInsee: z.string().nullable(),
});

export const caseDetail = caseState.extend({
  channel: z.enum(receptionChannels),
  expressedRequest: z.string(),
  entryOrganisationId: z.uuid(),
  referentOrganisationId: z.uuid(),
  referentAgentId: z.uuid().nullable(),
  closureReason: z.string().nullable(),
  openedAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  closedAt: z.iso.datetime().nullable(),
  members: z.array(caseMember),
});
export type CaseDetail = z.infer<typeof caseDetail>;

export const listCasesQuery = z.strictObject({
  stage: z.enum(journeyStages).optional(),
  channel: z.enum(receptionChannels).optional(),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});
export type ListCasesQuery = z.infer<typeof listCasesQuery>;

export const caseSummary = caseState.extend({
  channel: z.enum(receptionChannels),
  entryOrganisationId: z.uuid(),
  referentOrganisationId: z.uuid(),
  /** The primary member, so a work list says whose file it is. */
  primaryMember: z.object({ personId: z.uuid(), familyName: z.string(), givenNames: z.string() }).nullable(),
  openedAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type CaseSummary = z.infer<typeof caseSummary>;

export const caseList = z.object({
  items: z.array(caseSummary),
  page: z.number().int(),
  pageSize: z.number().int(),
  total: z.number().int(),
});
export type CaseList = z.infer<typeof caseList>;

export const sendCaseEventBody = z.strictObject({
  event: journeyAgentEventSchema,
  /** The revision the client last read; a mismatch is a 409 revision conflict. */
  expectedRevision: z.number().int().min(0),
});
export type SendCaseEventBody = z.infer<typeof sendCaseEventBody>;

export const timelineEntry = z.object({
  sequence: z.number().int(),
  revision: z.number().int(),
  /** Set when the event moved one of the case's referrals rather than the journey itself. */
  referralId: z.uuid().nullable(),
  eventType: z.string(),
  /** Codes and ids only. */
  payload: z.record(z.string(), z.unknown()),
  actor: z.object({
    kind: z.enum(['agent', 'partner_link', 'system', 'person']),
    id: z.string().nullable(),
    organisationId: z.uuid().nullable(),
  }),
  fromState: z.string(),
  toState: z.string(),
  at: z.iso.datetime(),
});
export const caseTimeline = z.object({ caseId: z.uuid(), events: z.array(timelineEntry) });
export type CaseTimeline = z.infer<typeof caseTimeline>;
