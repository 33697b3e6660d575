import { type Database, withActor } from '@parcours/db';
import { auditCallOf, type DeskCall } from '../../http/desk-call.ts';
import { actorOf, holdsHealthPermission } from '../../policy/access-policy.ts';
import { readReferralAsPartner } from './partner-access.ts';
import type { PartnerReferral } from './referral.schemas.ts';

/** One referral addressed to the acting organisation, as the policy lets it see the case now; null: 404. */
export async function getPartnerReferral(db: Database, referralId: string, call: DeskCall): Promise<PartnerReferral | null> {
  const actor = actorOf(call.agent);
  return withActor(db, actor, (tx) =>
    readReferralAsPartner(
      tx,
      actor,
      { organisationId: call.agent.organisationId, mayReadHealth: holdsHealthPermission(call.agent) },
      referralId,
      auditCallOf(call),
      { action: 'partner.case_read' },
    ),
  );
}
