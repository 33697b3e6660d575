import type { cases } from '@parcours/db';
import type { CaseView } from '@parcours/engine';
import { allowedEventsOf, type JourneyStage, sendableEventTypes, statePathOf } from '@parcours/journey';

type CaseRow = typeof cases.$inferSelect;

/** The journey state of a stored case, read from the row alone (the snapshot is the truth). */
export function caseStateOf(
  row: Pick<CaseRow, 'id' | 'stage' | 'stateValue' | 'revision' | 'machineVersion' | 'snapshot' | 'closedAt'>,
) {
  return {
    id: row.id,
    stage: row.stage as JourneyStage,
    state: statePathOf(row.stateValue as Parameters<typeof statePathOf>[0]),
    revision: row.revision,
    allowedEvents: allowedEventsOf(
      'journey',
      row.machineVersion,
      row.snapshot as Record<string, unknown>,
      sendableEventTypes.journey,
    ),
    closed: row.closedAt !== null,
  };
}

/** ETag of a case: its revision, which every change bumps. */
export function etagOf(revision: number): string {
  return `"${revision}"`;
}

/** The engine's answer, trimmed to what the API promises. */
export function caseStateOfView(view: CaseView) {
  return {
    id: view.id,
    stage: view.stage as JourneyStage,
    state: view.state,
    revision: view.revision,
    allowedEvents: view.allowedEvents,
    closed: view.closed,
  };
}
