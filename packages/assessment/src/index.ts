export {
  AssessmentAnswers,
  type AssessmentIssue,
  type AssessmentSummary,
  caseManagementAnswersOf,
  DomainAnswer,
  dataCategoriesOf,
  ExpressedRequest,
  type IdentifiedNeed,
  identifiedNeeds,
  rightsForPerson,
  rightsToCheck,
  summariseAssessment,
  type Validation,
  validateCompletion,
  validateDraft,
  validatePotentialRights,
} from './assessment-answers.ts';
export {
  AssessmentForm,
  type AssessmentFormInput,
  domainDataCategories,
  NeedDomainDefinition,
} from './assessment-form.schema.ts';
export {
  type AssessmentRecord,
  type Completion,
  completeDraft,
  newAssessmentDraft,
  recordRightFollowUp,
  saveDraftAnswers,
  saveDraftRights,
} from './assessment-lifecycle.ts';
export {
  CaseManagementAnswers,
  type CaseManagementCriterion,
  type CaseManagementEligibility,
  type CriterionResult,
  caseManagementCriteria,
  caseManagementEligibility,
  emptyCaseManagementAnswers,
} from './case-management.ts';
export { multidimensionalFormV1, type NeedDomainCode } from './forms/multidimensional-v1.form.ts';
export {
  finalRightStatuses,
  followUpRight,
  isRightFollowUpOver,
  PotentialRight,
  PotentialRights,
  type RightCode,
  type RightFollowUpResult,
  type RightVerdict,
  rightCodes,
  rightsCatalogue,
  rightVerdictOf,
} from './potential-rights.ts';
export {
  NeedLevel,
  needLevelLabels,
  needLevelRank,
  needLevels,
  Urgency,
  urgencies,
  urgencyRank,
  urgencyScale,
} from './scales.ts';

import type { AssessmentForm } from './assessment-form.schema.ts';
import { multidimensionalFormV1 } from './forms/multidimensional-v1.form.ts';

/** Released forms by `id@version`; the current one is the form new assessments use. */
export const assessmentForms: ReadonlyMap<string, AssessmentForm> = new Map([
  [`${multidimensionalFormV1.id}@${multidimensionalFormV1.version}`, multidimensionalFormV1],
]);
export const currentAssessmentForm = multidimensionalFormV1;

export function assessmentFormOf(id: string, version: number): AssessmentForm | null {
  return assessmentForms.get(`${id}@${version}`) ?? null;
}
export {
  type ActivityKind,
  activityKinds,
  activityLabels,
  ageOn,
  type HouseholdKind,
  householdKinds,
  householdLabels,
  type PersonFacts,
  type ResourceBand,
  resourceBands,
  resourceLabels,
  SituationAnswers,
} from './situation.ts';
