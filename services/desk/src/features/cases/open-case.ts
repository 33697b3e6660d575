import { type Database, organisations, persons, withActor } from '@parcours/db';
import { openCase as openCaseInEngine } from '@parcours/engine';
import { and, eq, inArray, isNull } from 'drizzle-orm';
import { AppError } from '../../http/app-error.ts';
import { auditCallOf, type DeskCall } from '../../http/desk-call.ts';
import { actorOf, reachablePersons } from '../../policy/access-policy.ts';
import { recordAudit } from '../audit/audit-writer.ts';
import type { OpenCaseBody } from './case.schemas.ts';
import { caseStateOfView } from './case-state.ts';

/**
 * Opens a case where the person came in (no wrong door): the acting organisation is the entry point.
 * Members must be persons the organisation reaches, or a case would become a way to read anyone's
 * identity; the référent, if named, must be an organisation of the same territory.
 */
export async function openCase(db: Database, input: OpenCaseBody, call: DeskCall) {
  const personIds = input.members.map((member) => member.personId);
  const refusal = await withActor(db, actorOf(call.agent), async (tx) => {
    const reached = await tx
      .select({ id: persons.id })
      .from(persons)
      .where(and(inArray(persons.id, personIds), isNull(persons.anonymisedAt), reachablePersons(call.agent)));
    const missing = personIds.filter((id) => !reached.some((row) => row.id === id));
    if (missing.length > 0) {
      await recordAudit(
        tx,
        call.agent,
        { action: 'case.open', subjectKind: 'person', subjectIds: missing, outcome: 'denied' },
        auditCallOf(call),
      );
      return 'unknown_person' as const;
    }
    if (input.referentOrganisationId) {
      const [referent] = await tx
        .select({ id: organisations.id })
        .from(organisations)
        .where(and(eq(organisations.id, input.referentOrganisationId), eq(organisations.territoryId, call.agent.territoryId)));
      if (!referent) return 'unknown_referent' as const;
    }
    return null;
  });
  if (refusal === 'unknown_person') throw new AppError('not_found', 'Une des personnes indiquées est introuvable.');
  if (refusal === 'unknown_referent') {
    throw new AppError('validation_failed', 'Le corps de la requête contient des valeurs invalides.', {
      errors: [{ field: 'referentOrganisationId', message: 'Aucune structure de ce territoire ne porte cet identifiant' }],
    });
  }
  const opened = await openCaseInEngine(
    db,
    {
      territoryId: call.agent.territoryId,
      entryOrganisationId: call.agent.organisationId,
      channel: input.channel,
      expressedRequest: input.expressedRequest,
      members: input.members,
      ...(input.referentOrganisationId ? { referentOrganisationId: input.referentOrganisationId } : {}),
    },
    { actor: actorOf(call.agent), clock: call.clock, requestId: call.requestId },
  );
  return caseStateOfView(opened);
}
