export { addHistogram, type DayHistogram, type DelayStatistics, delayStatisticsOf, percentileOf } from './delay-statistics.ts';
export {
  type CountMeasure,
  countMeasures,
  type DayKind,
  type DelayStage,
  type DelayStageDefinition,
  dayKinds,
  delayStageDefinitions,
  delayStages,
  lostReferralStatuses,
} from './indicators.ts';
export {
  type AssessmentRow,
  allValues,
  type CaseAttributes,
  type CaseFacts,
  type ContactFacts,
  type ContactRow,
  type CountCell,
  cellKeyOf,
  type DelayCell,
  emptyIncrements,
  emptyProjectionState,
  funnelMeasuresOf,
  type Increments,
  type LoggedEvent,
  type ProjectionState,
  projectAssessment,
  projectContact,
  projectEvent,
  type ReferralAttributes,
  type ReferralFacts,
  type RightFacts,
  type RightRow,
} from './projection.ts';
export {
  defaultSupervisionSettings,
  type SupervisionSettings,
  supervisionSettingsOf,
  supervisionSettingsSchema,
} from './settings.ts';
export { type CountTable, hiddenCountLabel, type SuppressedTable, suppressTable } from './suppression.ts';
