export {
  type ProjectionBatch,
  projectSupervisionBatch,
  projectSupervisionUntilCaughtUp,
  rebuildSupervision,
} from './projector.ts';
export {
  type BreachRow,
  type Breakdown,
  type CountRow,
  type DelayHistogramRow,
  readBreachedCasesOf,
  readBreaches,
  readCounts,
  readDelayHistograms,
  readProjectionLag,
  type SupervisionFilter,
  type SupervisionScope,
} from './readers.ts';
