import { type Actor, type Executor, partnerLinks, referrals } from '@parcours/db';
import { eq } from 'drizzle-orm';
import { AppError } from '../../http/app-error.ts';
import { isActiveReferralStatus } from '../../policy/access-policy.ts';
import { partnerLinkTokenHash, verifyPartnerLinkToken } from './partner-link-token.ts';

type LinkRow = typeof partnerLinks.$inferSelect;

/** Why a link is refused: for the audit (codes), and a French message for the partner. */
export type LinkRefusal = 'invalid' | 'expired' | 'used' | 'revoked' | 'closed';

export class PartnerLinkRefused extends AppError {
  constructor(
    readonly reason: LinkRefusal,
    readonly linkId: string | null,
    message: string,
  ) {
    super('partner_link_refused', message);
  }
}

/**
 * Who reads through a token, before any query: the link id comes from the token's verified signature, so
 * the row-level security policies (which let a link reach its own referral's case only) can rely on it.
 * A forged token acts as a link with no id and reaches nothing.
 */
export function partnerLinkActorOfToken(secret: string, token: string): Actor {
  return { kind: 'partner_link', id: verifyPartnerLinkToken(secret, token)?.linkId ?? null, organisationId: null };
}

/**
 * The link a token names, if the token is genuine, known, unexpired, unused, not revoked and its
 * referral still active; else a refusal. With `lock`, the row is locked (the answer's transaction), so two
 * answers through one link cannot both pass.
 */
export async function resolvePartnerLink(
  tx: Executor,
  secret: string,
  token: string,
  now: Date,
  options: { lock: boolean },
): Promise<{ link: LinkRow; actor: Actor }> {
  const verified = verifyPartnerLinkToken(secret, token);
  if (!verified) throw new PartnerLinkRefused('invalid', null, 'Ce lien n’est pas valide. Vérifiez qu’il a été copié en entier.');
  const query = tx
    .select()
    .from(partnerLinks)
    .where(eq(partnerLinks.tokenSha256, partnerLinkTokenHash(token)));
  const [link] = options.lock ? await query.for('update') : await query;
  if (!link || link.id !== verified.linkId) {
    throw new PartnerLinkRefused('invalid', null, 'Ce lien n’est pas valide. Vérifiez qu’il a été copié en entier.');
  }
  if (link.expiresAt.getTime() <= now.getTime()) {
    throw new PartnerLinkRefused(
      'expired',
      link.id,
      'Ce lien a expiré (il est valable 8 jours). Demandez-en un nouveau à la structure qui vous a adressé l’orientation.',
    );
  }
  if (link.revokedAt) {
    throw new PartnerLinkRefused('revoked', link.id, 'Ce lien a été retiré par la structure qui vous a adressé l’orientation.');
  }
  if (link.usedAt) {
    throw new PartnerLinkRefused('used', link.id, 'Ce lien a déjà servi à répondre : il ne peut plus être utilisé.');
  }
  const [referral] = await tx.select({ status: referrals.status }).from(referrals).where(eq(referrals.id, link.referralId));
  if (!referral || !isActiveReferralStatus(referral.status)) {
    throw new PartnerLinkRefused(
      'closed',
      link.id,
      'Cette orientation n’est plus en cours : le lien ne donne plus accès au dossier.',
    );
  }
  return { link, actor: { kind: 'partner_link', id: link.id, organisationId: link.organisationId } };
}
