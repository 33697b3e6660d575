import { type Actor, type Database, partnerLinks, withActor } from '@parcours/db';
import type { EngineClock } from '@parcours/engine';
import { eq } from 'drizzle-orm';
import { AppError } from '../../http/app-error.ts';
import { recordActorAudit } from '../audit/audit-writer.ts';
import { readReferralAsPartner } from '../referrals/partner-access.ts';
import { applyPartnerAnswer } from '../referrals/partner-answer.ts';
import type { PartnerReferral } from '../referrals/referral.schemas.ts';
import type { PartnerLinkAnswerBody } from './partner-link.schemas.ts';
import { PartnerLinkRefused, partnerLinkActorOfToken, resolvePartnerLink } from './partner-link-access.ts';

export interface LinkCall {
  secret: string;
  clock: EngineClock;
  requestId: string;
}

/** A link's reader: the recipient organisation, never health data (nobody's habilitation can be checked). */
const readerOf = (link: { organisationId: string }) => ({ organisationId: link.organisationId, mayReadHealth: false });

/** A refused link is audited when it names a real link (a forged token names nothing worth a row). */
async function auditLinkRefusal(db: Database, error: unknown, action: string, call: LinkCall): Promise<void> {
  if (!(error instanceof PartnerLinkRefused) || !error.linkId) return;
  const actor: Actor = { kind: 'partner_link', id: error.linkId, organisationId: null };
  await withActor(db, actor, (tx) =>
    recordActorAudit(
      tx,
      actor,
      { action, subjectKind: 'partner_link', subjectIds: [error.linkId as string], outcome: 'denied' },
      { requestId: call.requestId, at: call.clock.now() },
    ),
  );
}

/** The referral a link opens, cut down to what the consent covers now (never health). */
export async function getReferralByPartnerLink(db: Database, token: string, call: LinkCall): Promise<PartnerReferral> {
  const now = call.clock.now();
  try {
    return await withActor(db, partnerLinkActorOfToken(call.secret, token), async (tx) => {
      const { link, actor } = await resolvePartnerLink(tx, call.secret, token, now, { lock: false });
      const read = await readReferralAsPartner(
        tx,
        actor,
        readerOf(link),
        link.referralId,
        { requestId: call.requestId, at: now },
        { action: 'partner_link.read' },
      );
      if (!read) {
        throw new PartnerLinkRefused(
          'closed',
          link.id,
          'L’accès à ce dossier a pris fin (consentement retiré ou orientation close).',
        );
      }
      return read;
    });
  } catch (error) {
    await auditLinkRefusal(db, error, 'partner_link.read', call);
    throw error;
  }
}

/** Final answers through a link: after them the link is used and refused. Accepting leaves it for the appointment. */
const finalLinkAnswers = new Set(['DECLINE', 'SET_APPOINTMENT']);

/**
 * Accept, decline or set an appointment through a link, recorded with the actor `partner_link`. The link
 * is resolved again under lock in the engine step's transaction; a refused link writes nothing.
 */
export async function answerByPartnerLink(db: Database, body: PartnerLinkAnswerBody, call: LinkCall) {
  const now = call.clock.now();
  // Resolved once outside to know the referral and the actor; again under lock inside the step.
  let resolved: Awaited<ReturnType<typeof resolvePartnerLink>>;
  try {
    resolved = await withActor(db, partnerLinkActorOfToken(call.secret, body.token), (tx) =>
      resolvePartnerLink(tx, call.secret, body.token, now, { lock: false }),
    );
  } catch (error) {
    await auditLinkRefusal(db, error, 'partner_link.answer', call);
    throw error;
  }
  const { link, actor } = resolved;
  try {
    return await applyPartnerAnswer(
      db,
      link.referralId,
      { expectedRevision: body.expectedRevision, answer: body.answer },
      {
        actor,
        reader: readerOf(link),
        clock: call.clock,
        requestId: call.requestId,
        alsoInTransaction: async (tx) => {
          const again = await resolvePartnerLink(tx, call.secret, body.token, now, { lock: true });
          if (again.link.id !== link.id) throw new AppError('partner_link_refused', 'Ce lien n’est pas valide.');
          if (finalLinkAnswers.has(body.answer.type)) {
            await tx.update(partnerLinks).set({ usedAt: now }).where(eq(partnerLinks.id, link.id));
          }
        },
      },
    );
  } catch (error) {
    await auditLinkRefusal(db, error, 'partner_link.answer', call);
    throw error;
  }
}
