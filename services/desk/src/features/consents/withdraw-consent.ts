import { consents, type Database, outbox, persons, withActor } from '@parcours/db';
import { outboxRowOf } from '@parcours/jobs';
import { and, eq } from 'drizzle-orm';
import { AppError } from '../../http/app-error.ts';
import { auditCallOf, type DeskCall } from '../../http/desk-call.ts';
import { consentNotFound } from '../../http/not-found.ts';
import { actorOf, reachablePersons } from '../../policy/access-policy.ts';
import { recordActorAudit, recordRefusal } from '../audit/audit-writer.ts';
import { consentViewOf } from './consent.repository.ts';
import type { ConsentView, WithdrawConsentBody } from './consent.schemas.ts';

/**
 * Withdraws a consent (or lifts an opposition) at any organisation that reaches the person. Effective at
 * once: nothing caches consents beyond a request, so the recipients' next request is refused. The
 * recipients are told by e-mail (the worker; no personal data), in the same transaction as the withdrawal.
 */
export async function withdrawConsent(
  db: Database,
  consentId: string,
  body: WithdrawConsentBody,
  call: DeskCall,
): Promise<ConsentView> {
  const now = call.clock.now();
  const actor = actorOf(call.agent);
  // A refusal is audited once its transaction has rolled back: a row written inside it would go with it.
  let denied = false;
  return withActor(db, actor, async (tx) => {
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
    if (row.consent.withdrawnAt) {
      throw new AppError('consent_already_withdrawn', 'Ce consentement a déjà été retiré.');
    }
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
    if (updated.decision === 'consent') {
      await tx.insert(outbox).values(outboxRowOf('consent.withdrawn', { consentId, endedAt: now.toISOString() }));
    }
    await recordActorAudit(
      tx,
      actor,
      {
        action: 'consent.withdraw',
        subjectKind: 'consent',
        subjectIds: [consentId, updated.personId],
        consentId,
        outcome: 'allowed',
      },
      auditCallOf(call),
    );
    return consentViewOf(updated, now);
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
}
