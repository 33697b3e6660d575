import {
  CaseManagementAnswers,
  caseManagementCriteria,
  DomainAnswer,
  ExpressedRequest,
  NeedLevel,
  rightCodes,
  SituationAnswers,
  Urgency,
} from '@parcours/assessment';
import { assessmentStatuses, codesOf, dataCategories, nonTakeUpReasons, potentialRightStatuses } from '@parcours/vocabulary';
import { z } from 'zod';
import { caseState } from '../cases/case.schemas.ts';

export const assessmentIdParams = z.strictObject({ assessmentId: z.uuid() });
export const rightFollowUpParams = z.strictObject({ assessmentId: z.uuid(), right: z.enum(rightCodes) });

const potentialRight = z.object({
  right: z.enum(rightCodes),
  status: z.enum(potentialRightStatuses),
  nonTakeUpReason: z.enum(codesOf(nonTakeUpReasons)).optional(),
  updatedAt: z.iso.datetime().optional(),
});

/**
 * Answers to merge into a draft, so a page can save one section at a time: each need domain given
 * replaces that domain's answer (`null` removes it), the expressed request replaces the stored one, MAIA
 * answers are merged key by key. `potentialRights`, when given, replaces the list of rights identified.
 * Values are checked here; domain codes and completeness by the form (`@parcours/assessment`).
 */
export const saveAssessmentDraftBody = z
  .strictObject({
    answers: z
      .strictObject({
        expressedRequest: ExpressedRequest.optional(),
        needs: z.record(z.string(), DomainAnswer.nullable()).optional(),
        caseManagement: CaseManagementAnswers.partial().optional(),
        /** Household, activity, resources band: merged key by key (see `@parcours/assessment` situation). */
        situation: SituationAnswers.optional(),
      })
      .optional(),
    potentialRights: z.array(potentialRight).max(rightCodes.length).optional(),
  })
  .refine((body) => body.answers !== undefined || body.potentialRights !== undefined, 'Rien à enregistrer');
export type SaveAssessmentDraftBody = z.infer<typeof saveAssessmentDraftBody>;

const statusesNeedingReason: readonly string[] = ['refused', 'not_requested'];
export const followUpPotentialRightBody = z
  .strictObject({
    status: z.enum(potentialRightStatuses),
    /** Required when the right was refused or not requested (non-take-up typology), and only then. */
    nonTakeUpReason: z.enum(codesOf(nonTakeUpReasons)).optional(),
  })
  .superRefine((body, context) => {
    const needed = statusesNeedingReason.includes(body.status);
    if (needed && !body.nonTakeUpReason)
      context.addIssue({
        code: 'custom',
        path: ['nonTakeUpReason'],
        message: 'Motif de non-recours obligatoire quand le droit est refusé ou non demandé',
      });
    if (!needed && body.nonTakeUpReason)
      context.addIssue({
        code: 'custom',
        path: ['nonTakeUpReason'],
        message: 'Motif de non-recours seulement pour un droit refusé ou non demandé',
      });
  });
export type FollowUpPotentialRightBody = z.infer<typeof followUpPotentialRightBody>;

const criterionResult = z.object({
  criterion: z.enum(caseManagementCriteria),
  met: z.boolean().nullable(),
  reason: z.string(),
});
export const caseManagementEligibility = z.object({
  eligible: z.boolean(),
  criteria: z.array(criterionResult),
  reasons: z.array(z.string()),
});

const needLevelsWithNeed = NeedLevel.exclude(['none']);
export const assessmentSummary = z.object({
  formId: z.string(),
  formVersion: z.number().int(),
  expressedRequest: ExpressedRequest.nullable(),
  answeredDomains: z.number().int(),
  totalDomains: z.number().int(),
  needs: z.array(
    z.object({
      domain: z.string(),
      label: z.string(),
      shortLabel: z.string(),
      level: needLevelsWithNeed,
      urgency: Urgency,
      bundles: z.array(z.string()),
      health: z.boolean(),
    }),
  ),
  needsByLevel: z.record(needLevelsWithNeed, z.array(z.string())),
  needsByUrgency: z.record(Urgency, z.array(z.string())),
  healthTaggedDomains: z.array(z.string()),
  dataCategories: z.array(z.enum(dataCategories)),
  rights: z.object({ total: z.number().int(), byStatus: z.record(z.enum(potentialRightStatuses), z.array(z.string())) }),
  caseManagement: caseManagementEligibility.nullable(),
});

export const assessmentView = z.object({
  id: z.uuid(),
  caseId: z.uuid(),
  formId: z.string(),
  formVersion: z.number().int(),
  status: z.enum(assessmentStatuses),
  answers: z.object({
    expressedRequest: ExpressedRequest.optional(),
    needs: z.record(z.string(), DomainAnswer),
    caseManagement: CaseManagementAnswers.partial().optional(),
    situation: SituationAnswers.optional(),
  }),
  potentialRights: z.array(potentialRight),
  /** Categories the answers hold, whatever the caller may see of them. */
  dataCategories: z.array(z.enum(dataCategories)),
  /** Categories left out of this answer because the caller's role may not see them (`health`). */
  withheld: z.array(z.enum(dataCategories)),
  summary: assessmentSummary,
  createdByAgentId: z.uuid().nullable(),
  createdByOrganisationId: z.uuid().nullable(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  completedAt: z.iso.datetime().nullable(),
  completedByAgentId: z.uuid().nullable(),
  supersedesId: z.uuid().nullable(),
  supersededAt: z.iso.datetime().nullable(),
});
export type AssessmentView = z.infer<typeof assessmentView>;

export const assessmentListItem = assessmentView.pick({
  id: true,
  caseId: true,
  formId: true,
  formVersion: true,
  status: true,
  dataCategories: true,
  createdAt: true,
  completedAt: true,
  supersedesId: true,
  supersededAt: true,
});
export type AssessmentListItem = z.infer<typeof assessmentListItem>;
export const assessmentList = z.object({ caseId: z.uuid(), items: z.array(assessmentListItem) });

/** What completing did to the journey, and what the agent may do next. */
export const completionJourney = z.object({
  case: caseState,
  /** Events this call sent through the engine (COMPLETE_ASSESSMENT when the case was in assessment). */
  sent: z.array(z.string()),
  /** Events still to send, in order, for the case to reach orientation (e.g. from reception). */
  toSend: z.array(z.string()),
  /** ENTER_CASE_MANAGEMENT when the MAIA test is met: proposed, the agent decides. */
  proposed: z.array(z.string()),
});
export const completedAssessment = z.object({
  assessment: assessmentView,
  /** The completed assessment this one replaced, now `superseded`. */
  supersededId: z.uuid().nullable(),
  caseManagement: caseManagementEligibility,
  journey: completionJourney,
});
export type CompletedAssessment = z.infer<typeof completedAssessment>;
