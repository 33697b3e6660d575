import { disclosableCategories } from '@parcours/consent';
import {
  caseMembers,
  consents,
  type Database,
  outbox,
  partnerLinks,
  persons,
  referrals,
  systemActor,
  type Transaction,
  withActor,
} from '@parcours/db';
import { EngineError, sendReferralEvent } from '@parcours/engine';
import { outboxRowOf } from '@parcours/jobs';
import type { DataCategory, ReferralPurpose } from '@parcours/vocabulary';
import { and, eq, inArray, isNull } from 'drizzle-orm';
import { AppError } from '../../http/app-error.ts';
import { auditCallOf, type DeskCall } from '../../http/desk-call.ts';
import { consentNotFound } from '../../http/not-found.ts';
import { activeReferralStatuses, actorOf, reachablePersons } from '../../policy/access-policy.ts';
import { recordActorAudit, recordRefusal } from '../audit/audit-writer.ts';
import { consentFactsOf, consentViewOf } from './consent.repository.ts';
import type { ConsentWithdrawal, WithdrawConsentBody } from './consent.schemas.ts';
import { consentNoticeFor } from './consent-notice.ts';

type ConsentRow = typeof consents.$inferSelect;

/** Referral states where the recipient still has to answer: their deadlines run, and stop with the consent. */
const awaitingAnswer = new Set(['sent', 'seen', 'underStudy']);

/**
 * Withdraws a consent (or lifts an opposition), whole or in part, at any organisation that reaches the
 * person. A part (some recipients, purposes or categories) is withdrawn by withdrawing the record and
 * recording the narrower scope that stays in force as a new one, in the same transaction: a record's
 * scope never changes. Effective at once (consents are read again at every request). The referrals of
 * the person's cases that the consents no longer cover are returned and audited; their recipients (and
 * those no longer named) are told by e-mail through the worker, without personal data. After the commit,
 * those still awaiting an answer are cancelled through the engine, which cancels their deadlines.
 */
export async function withdrawConsent(
  db: Database,
  consentId: string,
  body: WithdrawConsentBody,
  call: DeskCall,
): Promise<ConsentWithdrawal> {
  const now = call.clock.now();
  const actor = actorOf(call.agent);
  // A refusal is audited once its transaction has rolled back: a row written inside it would go with it.
  let denied = false;
  const withdrawal = await withActor(db, actor, async (tx) => {
    const [row] = await tx
      .select({ consent: consents })
      .from(consents)
      .innerJoin(persons, eq(persons.id, consents.personId))
      .where(and(eq(consents.id, consentId), reachablePersons(call.agent)))
      .for('update', { of: consents });
    if (!row) {
      denied = true;
      throw consentNotFound();
    }
    const original = row.consent;
    if (original.withdrawnAt) {
      throw new AppError('consent_already_withdrawn', 'Ce consentement a déjà été retiré.');
    }
    const remaining = remainingScopeOf(original, body.only);
    const before = await consentFactsOf(tx, original.personId);
    const [updated] = await tx
      .update(consents)
      .set({
        withdrawnAt: now,
        withdrawnBy: body.withdrawnBy,
        withdrawalChannel: body.channel,
        withdrawalRecordedByAgentId: call.agent.agentId,
      })
      .where(eq(consents.id, consentId))
      .returning();
    if (!updated) throw new Error('consent update returned nothing');
    const replacement = remaining ? await recordRemainingScope(tx, original, remaining) : null;
    const affected = original.decision === 'consent' ? await referralsNoLongerCovered(tx, original.personId, before, now) : [];
    if (original.decision === 'consent') {
      const stillNamed = new Set(remaining?.recipientOrganisationIds ?? []);
      const told = new Set([
        ...original.recipientOrganisationIds.filter((id) => !stillNamed.has(id)),
        ...affected.map((referral) => referral.toOrganisationId),
      ]);
      await tx
        .insert(outbox)
        .values(outboxRowOf('consent.withdrawn', { consentId, endedAt: now.toISOString(), recipientOrganisationIds: [...told] }));
    }
    await recordActorAudit(
      tx,
      actor,
      {
        action: 'consent.withdraw',
        subjectKind: 'consent',
        subjectIds: [
          consentId,
          updated.personId,
          ...(replacement ? [replacement.id] : []),
          ...affected.map((referral) => referral.id),
        ],
        consentId,
        outcome: 'allowed',
      },
      auditCallOf(call),
    );
    return {
      ...consentViewOf(updated, now),
      replacedBy: replacement ? consentViewOf(replacement, now) : null,
      affectedReferrals: affected,
    };
  }).catch(async (error: unknown) => {
    if (denied) {
      await recordRefusal(
        db,
        actor,
        { action: 'consent.withdraw', subjectKind: 'consent', subjectIds: [consentId] },
        auditCallOf(call),
      );
    }
    throw error;
  });
  await cancelAwaitingReferrals(
    db,
    withdrawal.affectedReferrals.filter((referral) => awaitingAnswer.has(referral.status)),
    call,
  );
  const { affectedReferrals, ...answer } = withdrawal;
  return { ...answer, affectedReferralIds: affectedReferrals.map((referral) => referral.id) };
}

interface Scope {
  recipientOrganisationIds: string[];
  purposes: ReferralPurpose[];
  categories: DataCategory[];
}

/**
 * What stays in force after withdrawing `only` from the consent; null when nothing would (the whole
 * consent is withdrawn). Naming something the consent does not hold is a 400: the agent would believe
 * it withdrawn.
 */
function remainingScopeOf(consent: ConsentRow, only: WithdrawConsentBody['only']): Scope | null {
  const withdrawn = {
    recipientOrganisationIds: only?.recipientOrganisationIds ?? [],
    purposes: only?.purposes ?? [],
    categories: only?.categories ?? [],
  };
  const partial = withdrawn.recipientOrganisationIds.length + withdrawn.purposes.length + withdrawn.categories.length > 0;
  if (!partial) return null;
  if (consent.decision !== 'consent') {
    throw new AppError('validation_failed', 'Une opposition se lève en entier.', {
      errors: [{ field: 'only', message: 'Pas de retrait partiel d’une opposition' }],
    });
  }
  const errors = [
    ...withdrawn.recipientOrganisationIds
      .filter((id) => !consent.recipientOrganisationIds.includes(id))
      .map(() => ({ field: 'only.recipientOrganisationIds', message: 'Cette structure n’est pas nommée par ce consentement' })),
    ...withdrawn.purposes
      .filter((purpose) => !consent.purposes.includes(purpose))
      .map(() => ({ field: 'only.purposes', message: 'Cette finalité n’est pas dans ce consentement' })),
    ...withdrawn.categories
      .filter((category) => !consent.categories.includes(category))
      .map(() => ({ field: 'only.categories', message: 'Cette information n’est pas dans ce consentement' })),
  ];
  if (errors.length > 0) {
    throw new AppError('validation_failed', 'Le retrait nomme ce que le consentement ne contient pas.', { errors });
  }
  const remaining: Scope = {
    recipientOrganisationIds: consent.recipientOrganisationIds.filter((id) => !withdrawn.recipientOrganisationIds.includes(id)),
    purposes: (consent.purposes as ReferralPurpose[]).filter((purpose) => !withdrawn.purposes.includes(purpose)),
    categories: (consent.categories as DataCategory[]).filter((category) => !withdrawn.categories.includes(category)),
  };
  const empty =
    remaining.recipientOrganisationIds.length === 0 || remaining.purposes.length === 0 || remaining.categories.length === 0;
  return empty ? null : remaining;
}

/**
 * The narrower scope, recorded as the consent the person keeps: given when the original was, by the same
 * means, the notice of the narrower scope (a part of what the person was told) identifying it.
 */
async function recordRemainingScope(tx: Transaction, original: ConsentRow, scope: Scope): Promise<ConsentRow> {
  const { notice } = await consentNoticeFor(tx, scope);
  const [row] = await tx
    .insert(consents)
    .values({
      personId: original.personId,
      caseId: original.caseId,
      decision: 'consent',
      givenBy: original.givenBy,
      representativePersonId: original.representativePersonId,
      recipientOrganisationIds: scope.recipientOrganisationIds,
      purposes: scope.purposes,
      categories: scope.categories,
      informationShown: original.informationShown,
      noticeVersion: notice.version,
      noticeSha256: notice.sha256,
      method: original.method,
      collectedByAgentId: original.collectedByAgentId,
      collectedByOrganisationId: original.collectedByOrganisationId,
      collectedAt: original.collectedAt,
      expiresAt: original.expiresAt,
    })
    .returning();
  if (!row) throw new Error('consent insert returned nothing');
  return row;
}

/** Whether anyone at the recipient can still read the referral: its widest reader, health included. */
const everything = { mayReadHealth: true };

interface AffectedReferral {
  id: string;
  toOrganisationId: string;
  status: string;
}

/**
 * The person's referrals (drafts and active ones, of the cases where they are the primary member) that
 * a consent opened to their recipient before the withdrawal and none opens now (read again in this
 * transaction): their recipient has lost access.
 */
async function referralsNoLongerCovered(
  tx: Transaction,
  personId: string,
  before: Awaited<ReturnType<typeof consentFactsOf>>,
  now: Date,
): Promise<AffectedReferral[]> {
  const after = await consentFactsOf(tx, personId);
  const rows = await tx
    .select({
      id: referrals.id,
      toOrganisationId: referrals.toOrganisationId,
      status: referrals.status,
      purpose: referrals.purpose,
      sharedCategories: referrals.sharedCategories,
    })
    .from(referrals)
    .innerJoin(caseMembers, and(eq(caseMembers.caseId, referrals.caseId), eq(caseMembers.role, 'primary')))
    .where(and(eq(caseMembers.personId, personId), inArray(referrals.status, ['draft', ...activeReferralStatuses])));
  return rows
    .filter((referral) => {
      const request = {
        recipientOrganisationId: referral.toOrganisationId,
        purpose: referral.purpose as ReferralPurpose,
        categories: referral.sharedCategories as DataCategory[],
      };
      // The partner's access, as the policy decides it (any consent naming the recipient and the purpose).
      return (
        disclosableCategories(before, request, now, everything) !== null &&
        disclosableCategories(after, request, now, everything) === null
      );
    })
    .map(({ id, toOrganisationId, status }) => ({ id, toOrganisationId, status }));
}

/**
 * Referrals still awaiting an answer can no longer proceed: the engine cancels them (and their reminder,
 * escalation and expiry), as the system, one transaction each. One that moved meanwhile (answered,
 * cancelled) is left as it is: its recipient has lost access all the same.
 */
async function cancelAwaitingReferrals(db: Database, affected: readonly AffectedReferral[], call: DeskCall): Promise<void> {
  for (const referral of affected) {
    const [current] = await withActor(db, systemActor, (tx) =>
      tx.select({ revision: referrals.revision }).from(referrals).where(eq(referrals.id, referral.id)),
    );
    if (!current) continue;
    try {
      await sendReferralEvent(
        db,
        { referralId: referral.id, event: { type: 'CANCEL' }, expectedRevision: current.revision },
        {
          actor: systemActor,
          clock: call.clock,
          requestId: call.requestId,
          authorizeCase: () => true,
          // As a cancellation by the sender: the referral's partner links stop working with it.
          inTransaction: async (tx) => {
            await tx
              .update(partnerLinks)
              .set({ revokedAt: call.clock.now() })
              .where(and(eq(partnerLinks.referralId, referral.id), isNull(partnerLinks.revokedAt)));
          },
        },
      );
    } catch (error) {
      if (!(error instanceof EngineError) || (error.code !== 'revision_conflict' && error.code !== 'event_not_allowed'))
        throw error;
    }
  }
}
