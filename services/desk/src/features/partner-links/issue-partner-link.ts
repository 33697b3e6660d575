import { randomUUID } from 'node:crypto';
import { cases, type Database, partnerLinks, referrals, withActor } from '@parcours/db';
import { eq } from 'drizzle-orm';
import { AppError } from '../../http/app-error.ts';
import { auditCallOf, type DeskCall } from '../../http/desk-call.ts';
import { referralNotFound } from '../../http/not-found.ts';
import { actorOf, canSendFor, isActiveReferralStatus } from '../../policy/access-policy.ts';
import { recordActorAudit, recordRefusal } from '../audit/audit-writer.ts';
import { partnerLinkTokenHash, partnerLinkValidityMs, signPartnerLinkToken } from './partner-link-token.ts';

/**
 * Issues a signed link for the recipient of an active referral to answer without an account. The sender
 * organisation only; valid 8 days; the token is returned once and only its hash is stored.
 */
export async function issuePartnerLink(db: Database, referralId: string, secret: string, call: DeskCall) {
  const now = call.clock.now();
  const actor = actorOf(call.agent);
  // A refusal is audited once its transaction has rolled back: a row written inside it would go with it.
  let denied = false;
  return withActor(db, actor, async (tx) => {
    const [row] = await tx
      .select({ referral: referrals, case: cases })
      .from(referrals)
      .innerJoin(cases, eq(cases.id, referrals.caseId))
      .where(eq(referrals.id, referralId));
    if (!row || !canSendFor(call.agent, row.case)) {
      denied = true;
      throw referralNotFound();
    }
    if (!isActiveReferralStatus(row.referral.status)) {
      throw new AppError('event_not_allowed', 'Un lien ne peut être créé que pour une orientation envoyée et en cours.', {
        allowedEvents: [],
        currentRevision: row.referral.revision,
      });
    }
    const linkId = randomUUID();
    const expiresAt = new Date(now.getTime() + partnerLinkValidityMs);
    const token = signPartnerLinkToken(secret, linkId, expiresAt);
    await tx.insert(partnerLinks).values({
      id: linkId,
      referralId,
      organisationId: row.referral.toOrganisationId,
      tokenSha256: partnerLinkTokenHash(token),
      issuedByAgentId: call.agent.agentId,
      issuedAt: now,
      expiresAt,
    });
    await recordActorAudit(
      tx,
      actor,
      { action: 'partner_link.issue', subjectKind: 'partner_link', subjectIds: [linkId, referralId], outcome: 'allowed' },
      auditCallOf(call),
    );
    return { linkId, referralId, expiresAt: expiresAt.toISOString(), token, url: `/partenaire/lien#${token}` };
  }).catch(async (error: unknown) => {
    if (denied) {
      await recordRefusal(
        db,
        actor,
        { action: 'partner_link.issue', subjectKind: 'referral', subjectIds: [referralId] },
        auditCallOf(call),
      );
    }
    throw error;
  });
}
