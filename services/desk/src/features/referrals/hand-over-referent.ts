import { activeOpposition, bestMatchingConsent } from '@parcours/consent';
import { type Database, memberships, organisations, referentHandovers } from '@parcours/db';
import { assignReferent } from '@parcours/engine';
import { and, eq } from 'drizzle-orm';
import { AppError } from '../../http/app-error.ts';
import { auditCallOf, type DeskCall } from '../../http/desk-call.ts';
import { actorOf } from '../../policy/access-policy.ts';
import { recordActorAudit } from '../audit/audit-writer.ts';
import { auditEngineRefusal, caseGuardOf } from '../cases/case-access.ts';
import { caseStateOfView } from '../cases/case-state.ts';
import { consentFactsOf, primaryPersonOf } from '../consents/consent.repository.ts';
import type { HandOverReferentBody } from './referral.schemas.ts';

/** Purposes under which a new référent organisation takes the file over. */
const handoverPurposes = ['social_support', 'case_management'] as const;

/**
 * Hands the référent role to another organisation (or agent) with a note. Only the current référent
 * organisation may. Another organisation takes the whole file, so the person's consent is checked again,
 * on the locked case: no opposition, and an active consent naming that organisation for support or case
 * management. The note and the consent id are written in the engine step's transaction.
 */
export async function handOverReferent(db: Database, caseId: string, body: HandOverReferentBody, call: DeskCall) {
  const now = call.clock.now();
  const actor = actorOf(call.agent);
  try {
    const view = await assignReferent(
      db,
      {
        caseId,
        referentOrganisationId: body.referentOrganisationId,
        referentAgentId: body.referentAgentId,
        expectedRevision: body.expectedRevision,
      },
      {
        actor,
        clock: call.clock,
        requestId: call.requestId,
        authorizeCase: caseGuardOf(call),
        inTransaction: async (tx, locked) => {
          if (locked.case.referentOrganisationId !== call.agent.organisationId) {
            throw new AppError('forbidden', 'Seule la structure référente du parcours peut passer le relais.');
          }
          const [target] = await tx
            .select({ id: organisations.id })
            .from(organisations)
            .where(eq(organisations.id, body.referentOrganisationId));
          if (!target) {
            throw new AppError('validation_failed', 'Structure inconnue.', {
              errors: [{ field: 'referentOrganisationId', message: 'Structure inconnue' }],
            });
          }
          if (body.referentAgentId) {
            const [member] = await tx
              .select({ agentId: memberships.agentId })
              .from(memberships)
              .where(
                and(eq(memberships.agentId, body.referentAgentId), eq(memberships.organisationId, body.referentOrganisationId)),
              );
            if (!member) {
              throw new AppError('validation_failed', 'Cet agent n’appartient pas à la structure choisie.', {
                errors: [{ field: 'referentAgentId', message: 'Agent hors de la structure' }],
              });
            }
          }
          let consentId: string | null = null;
          const changesOrganisation =
            body.referentOrganisationId !== locked.case.referentOrganisationId &&
            body.referentOrganisationId !== locked.case.entryOrganisationId;
          if (changesOrganisation) {
            const personId = await primaryPersonOf(tx, caseId);
            const consents = personId ? await consentFactsOf(tx, personId) : [];
            const opposed = activeOpposition(consents, now) !== undefined;
            const covering = opposed
              ? undefined
              : handoverPurposes
                  .map((purpose) =>
                    bestMatchingConsent(
                      consents,
                      { recipientOrganisationId: body.referentOrganisationId, purpose, categories: [] },
                      now,
                    ),
                  )
                  .find((consent) => consent !== undefined);
            if (!covering) {
              throw new AppError(
                'consent_not_covering',
                opposed
                  ? 'La personne s’est opposée au partage de ses informations : le dossier ne peut pas être confié à une autre structure.'
                  : 'Aucun consentement actif de la personne ne nomme cette structure pour son accompagnement : recueillez-le avant de passer le relais.',
                {
                  notCovered: {
                    recipient: true,
                    purpose: true,
                    categories: [],
                    opposition: opposed,
                  },
                },
              );
            }
            consentId = covering.id;
          }
          await tx.insert(referentHandovers).values({
            caseId,
            fromOrganisationId: locked.case.referentOrganisationId,
            toOrganisationId: body.referentOrganisationId,
            toAgentId: body.referentAgentId,
            note: body.note,
            consentId,
            byAgentId: call.agent.agentId,
            revision: locked.case.revision + 1,
            at: now,
          });
          await recordActorAudit(
            tx,
            actor,
            { action: 'referral.handover', subjectKind: 'case', subjectIds: [caseId], consentId, outcome: 'allowed' },
            auditCallOf(call),
          );
        },
      },
    );
    return caseStateOfView(view);
  } catch (error) {
    await auditEngineRefusal(db, call, 'referral.handover', caseId, error);
    throw error;
  }
}
