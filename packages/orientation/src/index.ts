export {
  type OrientationChoiceInput,
  type OrientationChoicePlan,
  orientationChoiceReasonLabels,
  planOrientationChoice,
} from './orientation-choice.ts';
export { OrientationRules, type OrientationRulesInput, orientationRulesV1, orientationRulesV2 } from './orientation-rules.ts';
export { knownPublicsOfPerson, type PersonForOrientation, publicsOfPerson } from './person-publics.ts';
export {
  type MatchedNeed,
  type OrientationNeed,
  type OrientationRequest,
  type Suggestion,
  suggestForAssessment,
  suggestServices,
} from './suggest-services.ts';
