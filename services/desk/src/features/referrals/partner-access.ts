import type { Disclosure } from '@parcours/consent';
import { type Actor, cases, type Executor, referrals } from '@parcours/db';
import { eq } from 'drizzle-orm';
import { decidePartnerDisclosure, type PartnerReader } from '../../policy/access-policy.ts';
import { recordActorAudit } from '../audit/audit-writer.ts';
import { consentFactsOfCase } from '../consents/consent.repository.ts';
import { readPartnerCaseData } from './partner-case-data.ts';
import type { PartnerReferral } from './referral.schemas.ts';
import { referralViewWithTimes } from './referral-view.ts';

type ReferralRow = typeof referrals.$inferSelect;
type CaseRow = typeof cases.$inferSelect;

/**
 * The policy applied to a partner's request on one referral, consents read now (in this transaction):
 * the disclosure and whose consent it rests on, or null (deny; the caller answers 404).
 */
export async function partnerDisclosureOf(
  tx: Executor,
  reader: PartnerReader,
  referral: ReferralRow,
  now: Date,
): Promise<{ disclosure: Disclosure; personId: string } | null> {
  if (referral.toOrganisationId !== reader.organisationId) return null;
  const { personId, consents } = await consentFactsOfCase(tx, referral.caseId);
  if (!personId) return null;
  const disclosure = decidePartnerDisclosure(reader, referral, consents, now);
  return disclosure ? { disclosure, personId } : null;
}

/**
 * A partner's read of one referral (an agent of the recipient, or a signed link): the referral, and the
 * case cut down to the covered categories. Audited in the same transaction, with the purpose and the
 * consent that allowed the disclosure; a refusal is audited as denied and reads as "not found".
 */
export async function readReferralAsPartner(
  tx: Executor,
  actor: Actor,
  reader: PartnerReader,
  referralId: string,
  call: { requestId: string; at: Date },
  audit: { action: string },
): Promise<PartnerReferral | null> {
  const [row] = await tx
    .select({ referral: referrals, case: cases })
    .from(referrals)
    .innerJoin(cases, eq(cases.id, referrals.caseId))
    .where(eq(referrals.id, referralId));
  const allowed = row ? await partnerDisclosureOf(tx, reader, row.referral, call.at) : null;
  if (!row || !allowed) {
    await recordActorAudit(
      tx,
      actor,
      { action: audit.action, subjectKind: 'referral', subjectIds: [referralId], outcome: 'denied' },
      call,
    );
    return null;
  }
  return partnerReferralOf(tx, actor, row.referral, row.case, allowed, call, audit);
}

export async function partnerReferralOf(
  tx: Executor,
  actor: Actor,
  referral: ReferralRow,
  caseRow: CaseRow,
  allowed: { disclosure: Disclosure; personId: string },
  call: { requestId: string; at: Date },
  audit: { action: string },
): Promise<PartnerReferral> {
  const data = await readPartnerCaseData(tx, caseRow, allowed.personId, allowed.disclosure.categories);
  await recordActorAudit(
    tx,
    actor,
    {
      action: audit.action,
      subjectKind: 'referral',
      subjectIds: [referral.id, referral.caseId, allowed.personId],
      purpose: referral.purpose,
      consentId: allowed.disclosure.consentId,
      outcome: 'allowed',
    },
    call,
  );
  return {
    referral: await referralViewWithTimes(tx, referral, 'partner'),
    visibleCategories: allowed.disclosure.categories,
    consentId: allowed.disclosure.consentId,
    data,
  };
}
