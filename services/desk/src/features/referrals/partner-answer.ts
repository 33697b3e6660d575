import { parisDateOf } from '@parcours/calendar';
import { type Actor, type Database, organisations, referrals, type Transaction, withActor } from '@parcours/db';
import { createReferral, type EngineClock, EngineError, type LockedRows, sendReferralEvent } from '@parcours/engine';
import type { DataCategory, ReferralPurpose } from '@parcours/vocabulary';
import { eq } from 'drizzle-orm';
import { AppError } from '../../http/app-error.ts';
import { referralNotFound } from '../../http/not-found.ts';
import type { PartnerReader } from '../../policy/access-policy.ts';
import { recordActorAudit } from '../audit/audit-writer.ts';
import { partnerDisclosureOf } from './partner-access.ts';
import type { AnswerReferralBody, ReferralView } from './referral.schemas.ts';
import { referralViewWithTimes } from './referral-view.ts';

/** A visio appointment's reception point must be an organisation of the case's territory. */
async function checkReceptionPoint(tx: Transaction, receptionPointId: string, territoryId: string): Promise<void> {
  const [point] = await tx
    .select({ territoryId: organisations.territoryId })
    .from(organisations)
    .where(eq(organisations.id, receptionPointId));
  if (point?.territoryId !== territoryId) {
    throw new AppError('validation_failed', 'Ce point d’accueil n’existe pas sur le territoire du dossier.', {
      errors: [{ field: 'answer.receptionPointId', message: 'Point d’accueil inconnu' }],
    });
  }
}

/**
 * An appointment is set for today or later (Paris dates, as the form's `min` shows it): the server refuses what
 * the form refuses, whoever calls (page, API, signed link).
 */
function refusePastAppointment(body: AnswerReferralBody, now: Date): void {
  if (body.answer.type !== 'SET_APPOINTMENT') return;
  if (parisDateOf(new Date(body.answer.at)) >= parisDateOf(now)) return;
  const message = 'La date du rendez-vous est passée : choisissez aujourd’hui ou une date à venir.';
  throw new AppError('validation_failed', message, { errors: [{ field: 'answer.at', message }] });
}

export interface PartnerAnswerCall {
  actor: Actor;
  reader: PartnerReader;
  clock: EngineClock;
  requestId: string;
  /** More checks and rows on the locked rows, in the step's transaction (a signed link's validity and use). */
  alsoInTransaction?: (tx: Transaction, locked: LockedRows) => Promise<void>;
}

/**
 * A partner's answer, through the engine. The policy is applied on the locked rows, with the consents read
 * in the step's transaction: the recipient organisation, an active referral, a covering consent, no
 * opposition — else 404 and nothing written. A redirection closes this referral and, when the partner
 * names another organisation, proposes a new draft to the sender (engine `createReferral`) in the same
 * transaction; sending it will check the consent for that organisation.
 */
export async function applyPartnerAnswer(
  db: Database,
  referralId: string,
  body: AnswerReferralBody,
  call: PartnerAnswerCall,
): Promise<ReferralView & { proposedDraft: ReferralView | null }> {
  const now = call.clock.now();
  refusePastAppointment(body, now);
  const audit = { requestId: call.requestId, at: now };
  // Decided on the locked rows (`authorizeLocked`), used for the audit of the same transaction.
  let allowed: Awaited<ReturnType<typeof partnerDisclosureOf>> = null;
  try {
    return await withActor(db, call.actor, async (outer) => {
      const inner = outer as unknown as Database;
      await sendReferralEvent(
        inner,
        { referralId, event: body.answer, expectedRevision: body.expectedRevision },
        {
          actor: call.actor,
          clock: call.clock,
          requestId: call.requestId,
          // The policy before the revision check: a recipient without access learns nothing, not even that the referral moved.
          authorizeLocked: async (tx, locked) => {
            allowed = locked.referral ? await partnerDisclosureOf(tx, call.reader, locked.referral, now) : null;
            return allowed !== null;
          },
          inTransaction: async (tx, locked) => {
            const referral = locked.referral;
            if (!referral || !allowed) throw new EngineError('referral_not_found', 'Orientation introuvable.');
            await call.alsoInTransaction?.(tx, locked);
            if (body.answer.type === 'REDIRECT' && body.answer.suggestedOrganisationId) {
              const [suggested] = await tx
                .select({ id: organisations.id })
                .from(organisations)
                .where(eq(organisations.id, body.answer.suggestedOrganisationId));
              if (!suggested || suggested.id === referral.toOrganisationId) {
                throw new AppError('validation_failed', 'La structure proposée est inconnue, ou c’est la vôtre.', {
                  errors: [{ field: 'answer.suggestedOrganisationId', message: 'Structure invalide' }],
                });
              }
            }
            if (body.answer.type === 'SET_APPOINTMENT' && body.answer.receptionPointId) {
              await checkReceptionPoint(tx, body.answer.receptionPointId, locked.case.territoryId);
            }
            await recordActorAudit(
              tx,
              call.actor,
              {
                action: 'referral.answer',
                subjectKind: 'referral',
                subjectIds: [referral.id, referral.caseId],
                purpose: referral.purpose,
                consentId: allowed.disclosure.consentId,
                outcome: 'allowed',
              },
              audit,
            );
          },
        },
      );
      const [row] = await outer.select().from(referrals).where(eq(referrals.id, referralId));
      if (!row) throw referralNotFound();
      let proposedDraft: ReferralView | null = null;
      if (body.answer.type === 'REDIRECT' && body.answer.suggestedOrganisationId) {
        const draft = await createReferral(
          inner,
          {
            caseId: row.caseId,
            fromOrganisationId: row.fromOrganisationId,
            toOrganisationId: body.answer.suggestedOrganisationId,
            purpose: row.purpose as ReferralPurpose,
            sharedCategories: row.sharedCategories as DataCategory[],
            redirectedFromId: row.id,
          },
          { actor: call.actor, clock: call.clock, requestId: call.requestId },
        );
        const [draftRow] = await outer.select().from(referrals).where(eq(referrals.id, draft.id));
        if (draftRow) proposedDraft = await referralViewWithTimes(outer, draftRow, 'sender');
      }
      return { ...(await referralViewWithTimes(outer, row, 'partner')), proposedDraft };
    });
  } catch (error) {
    if (error instanceof EngineError && error.code === 'referral_not_found') {
      await withActor(db, call.actor, (tx) =>
        recordActorAudit(
          tx,
          call.actor,
          { action: 'referral.answer', subjectKind: 'referral', subjectIds: [referralId], outcome: 'denied' },
          audit,
        ),
      );
    }
    throw error;
  }
}
