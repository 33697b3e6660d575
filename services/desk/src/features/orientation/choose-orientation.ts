import { type Database, orientationChoices, referrals, type Transaction, withActor } from '@parcours/db';
import { createReferral } from '@parcours/engine';
import { planOrientationChoice } from '@parcours/orientation';
import type { DataCategory, ReferralPurpose } from '@parcours/vocabulary';
import { and, eq } from 'drizzle-orm';
import { AppError } from '../../http/app-error.ts';
import { auditCallOf, type DeskCall } from '../../http/desk-call.ts';
import { actorOf } from '../../policy/access-policy.ts';
import { recordAudit } from '../audit/audit-writer.ts';
import { reachedOrRefused } from '../cases/case-access.ts';
import type { DirectoryCache } from '../directory/directory-cache.ts';
import type { ChooseOrientationBody, ChosenOrientation } from './orientation.schemas.ts';
import { orientationChoiceOf } from './orientation-choice-view.ts';
import { currentOrientationRules, readOrientationContext, serviceCardOf, suggestionsForContext } from './orientation-context.ts';
import { referralPurposeOf } from './referral-purpose.ts';

/** What a draft referral shares unless the agent says otherwise: the minimum a partner needs to call back. */
export const minimumSharedCategories: readonly DataCategory[] = ['identity', 'contact', 'situation_summary'];

export const alreadyChosenError = () =>
  new AppError(
    'orientation_already_chosen',
    'Ce service est déjà choisi pour ce dossier et son orientation est en cours : suivez-la plutôt que d’en créer une deuxième.',
  );

/**
 * Whether the case already has a live choice of this service: one whose referral has not ended, or,
 * for a service outside Parcours (no referral), one made on the same assessment. A double submit or a
 * second agent's identical choice must not create a second referral; once the referral ended (declined,
 * expired, completed…) or the situation was reassessed, the service may be chosen again. The case row is
 * locked by the caller, so two concurrent choices are decided one after the other.
 */
async function hasLiveChoice(tx: Transaction, caseId: string, serviceId: string, assessmentId: string | null) {
  const previous = await tx
    .select({
      assessmentId: orientationChoices.assessmentId,
      referralId: orientationChoices.referralId,
      closedAt: referrals.closedAt,
    })
    .from(orientationChoices)
    .leftJoin(referrals, eq(referrals.id, orientationChoices.referralId))
    .where(and(eq(orientationChoices.caseId, caseId), eq(orientationChoices.serviceId, serviceId)));
  return previous.some((row) => (row.referralId ? row.closedAt === null : row.assessmentId === assessmentId));
}

/**
 * Records the agent's choice of a service for a case — among the suggestions or not, a choice outside
 * them needing a reason — and creates the draft referral through the engine when the service takes
 * orientations through Parcours. The suggestions are recomputed from the same assessment, commune and
 * index as the list the agent saw, so the rank recorded is the rules' own. Choice and referral are
 * written in one transaction (the engine runs on it, as a savepoint).
 */
export async function chooseOrientation(
  db: Database,
  directories: DirectoryCache,
  caseId: string,
  input: ChooseOrientationBody,
  call: DeskCall,
): Promise<ChosenOrientation | null> {
  const directory = await directories.directoryOf(call.agent.territoryId);
  const at = call.clock.now();
  return withActor(db, actorOf(call.agent), async (tx) => {
    const context = await reachedOrRefused(
      tx,
      call,
      await readOrientationContext(tx, caseId, { lock: true }),
      (found) => found.caseRow,
      { action: 'orientation.choose', subjectIds: [caseId] },
    );
    if (!context) return null;
    if (context.caseRow.closedAt) {
      throw new AppError('event_not_allowed', 'Le dossier est clos : il ne peut plus être orienté.', { allowedEvents: [] });
    }
    const { assessment, communeCode } = context;
    const suggestions =
      assessment && communeCode
        ? suggestionsForContext(directory.index, { assessment, communeCode, birthDate: context.birthDate }, at)
        : [];
    const plan = planOrientationChoice(directory.index, suggestions, currentOrientationRules, input);
    if (!plan.ok) {
      throw new AppError('validation_failed', 'Ce choix d’orientation est incomplet.', {
        errors: plan.issues.map((issue) => ({ field: issue.path, message: issue.message })),
      });
    }
    const service = directory.index.byId.get(plan.value.serviceId)?.service;
    if (!service) throw new Error('a planned service is in the index');
    if (await hasLiveChoice(tx, caseId, service.id, assessment?.id ?? null)) throw alreadyChosenError();
    const suggestion = suggestions.find((candidate) => candidate.serviceId === service.id);
    const toOrganisationId = directory.organisationOf.get(service.id) ?? null;

    let referral: ChosenOrientation['referral'] = null;
    let noReferralReason: string | null = null;
    if (!plan.value.createsReferral) {
      noReferralReason = 'Ce service ne reçoit pas d’orientation par Parcours : contactez-le directement.';
    } else if (!toOrganisationId) {
      noReferralReason = 'Ce service n’est rattaché à aucune structure de Parcours : contactez-le directement.';
    } else {
      const purpose: ReferralPurpose =
        input.purpose ?? referralPurposeOf({ needDomain: suggestion?.matchedNeeds[0]?.domain, bundles: service.bundles });
      const sharedCategories = input.sharedCategories ?? [...minimumSharedCategories];
      const created = await createReferral(
        tx,
        {
          caseId,
          fromOrganisationId: call.agent.organisationId,
          toOrganisationId,
          toServiceId: service.id,
          purpose,
          sharedCategories,
        },
        { actor: actorOf(call.agent), clock: call.clock, requestId: call.requestId },
      );
      referral = {
        id: created.id,
        status: created.status,
        state: created.state,
        revision: created.revision,
        allowedEvents: created.allowedEvents,
        toOrganisationId,
        purpose,
        sharedCategories,
      };
    }

    const [row] = await tx
      .insert(orientationChoices)
      .values({
        caseId,
        assessmentId: assessment?.id ?? null,
        serviceId: service.id,
        suggested: plan.value.suggested,
        suggestionRank: plan.value.suggestionRank,
        rulesVersion: plan.value.rulesVersion,
        reasonCode: plan.value.reasonCode,
        reasonText: plan.value.reasonText,
        chosenByAgentId: call.agent.agentId,
        chosenByOrganisationId: call.agent.organisationId,
        chosenAt: at,
        referralId: referral?.id ?? null,
        createdAt: at,
      })
      .returning();
    if (!row) throw new Error('orientation choice insert returned nothing');
    await recordAudit(
      tx,
      call.agent,
      {
        action: 'orientation.choose',
        subjectKind: 'case',
        subjectIds: [caseId, row.id, ...(referral ? [referral.id] : [])],
        outcome: 'allowed',
      },
      auditCallOf(call),
    );
    return {
      choice: orientationChoiceOf(row, serviceCardOf(service, directory)),
      referral,
      noReferralReason,
    };
  });
}
