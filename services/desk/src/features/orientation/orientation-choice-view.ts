import type { orientationChoices } from '@parcours/db';
import type { OrientationChoiceReason } from '@parcours/vocabulary';
import type { OrientationChoice, ServiceCard } from './orientation.schemas.ts';

type ChoiceRow = typeof orientationChoices.$inferSelect;

export function orientationChoiceOf(row: ChoiceRow, service: ServiceCard | null): OrientationChoice {
  return {
    id: row.id,
    caseId: row.caseId,
    assessmentId: row.assessmentId,
    serviceId: row.serviceId,
    service,
    suggested: row.suggested,
    suggestionRank: row.suggestionRank,
    rulesVersion: row.rulesVersion,
    reasonCode: row.reasonCode as OrientationChoiceReason | null,
    reasonText: row.reasonText,
    chosenByAgentId: row.chosenByAgentId,
    chosenByOrganisationId: row.chosenByOrganisationId,
    chosenAt: row.chosenAt.toISOString(),
    referralId: row.referralId,
  };
}
