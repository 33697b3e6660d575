import { isConsentActive } from '@parcours/consent';
import { caseMembers, cases, consents, type Database, outbox, persons, withActor } from '@parcours/db';
import { outboxRowOf } from '@parcours/jobs';
import { type ConsentDecision, consentInformationItems } from '@parcours/vocabulary';
import { and, eq, isNull } from 'drizzle-orm';
import { AppError } from '../../http/app-error.ts';
import { auditCallOf, type DeskCall } from '../../http/desk-call.ts';
import { personNotFound } from '../../http/not-found.ts';
import { actorOf, reachablePersons } from '../../policy/access-policy.ts';
import { recordActorAudit, recordRefusal } from '../audit/audit-writer.ts';
import { caseGuardOf } from '../cases/case-access.ts';
import { consentViewOf } from './consent.repository.ts';
import type { ConsentView, RecordConsentBody } from './consent.schemas.ts';
import { consentNoticeFor } from './consent-notice.ts';

/**
 * Records a consent or an opposition. Refused unless the four pieces of information were given (the
 * schema) and the notice shown is the one of this exact scope (its version and SHA-256). An opposition
 * ends what the person's active consents allowed: their recipients are told, through the worker.
 */
export async function recordConsent(db: Database, body: RecordConsentBody, call: DeskCall): Promise<ConsentView> {
  const now = call.clock.now();
  const actor = actorOf(call.agent);
  // A refusal is audited once its transaction has rolled back: a row written inside it would go with it.
  let denied = false;
  return withActor(db, actor, async (tx) => {
    const deny = () => {
      denied = true;
      return personNotFound();
    };
    const [person] = await tx
      .select({ id: persons.id })
      .from(persons)
      .where(and(eq(persons.id, body.personId), reachablePersons(call.agent)));
    if (!person) throw deny();
    if (body.caseId) {
      const [row] = await tx
        .select({ case: cases, role: caseMembers.role })
        .from(cases)
        .innerJoin(caseMembers, and(eq(caseMembers.caseId, cases.id), eq(caseMembers.personId, body.personId)))
        .where(eq(cases.id, body.caseId));
      if (!row || !caseGuardOf(call)(row.case)) throw deny();
    }
    if (body.representativePersonId) {
      const [representative] = await tx
        .select({ id: persons.id })
        .from(persons)
        .where(and(eq(persons.id, body.representativePersonId), reachablePersons(call.agent)));
      if (!representative) {
        throw new AppError('validation_failed', 'Le représentant légal est inconnu.', {
          errors: [{ field: 'representativePersonId', message: 'Personne inconnue' }],
        });
      }
    }
    const scope =
      body.decision === 'consent'
        ? { recipientOrganisationIds: body.recipientOrganisationIds, purposes: body.purposes, categories: body.categories }
        : { recipientOrganisationIds: [], purposes: [], categories: [] };
    const { notice } = await consentNoticeFor(tx, scope);
    if (notice.version !== body.notice.version || notice.sha256 !== body.notice.sha256) {
      throw new AppError(
        'notice_mismatch',
        'La notice d’information montrée ne correspond pas à ce partage (destinataires, finalités ou informations ont changé). Montrez ou imprimez la notice à jour, puis recommencez.',
      );
    }
    const expiresAt = body.decision === 'consent' && body.expiresAt ? new Date(body.expiresAt) : null;
    if (expiresAt && expiresAt.getTime() <= now.getTime()) {
      throw new AppError('validation_failed', 'La date de fin doit être dans le futur.', {
        errors: [{ field: 'expiresAt', message: 'Date passée' }],
      });
    }
    // Read before the insert: what the new opposition will override.
    const overridden =
      body.decision === 'opposition'
        ? (
            await tx
              .select()
              .from(consents)
              .where(and(eq(consents.personId, body.personId), eq(consents.decision, 'consent'), isNull(consents.withdrawnAt)))
          ).filter((row) => isConsentActive({ ...row, decision: row.decision as ConsentDecision }, now))
        : [];
    const [row] = await tx
      .insert(consents)
      .values({
        personId: body.personId,
        caseId: body.caseId ?? null,
        decision: body.decision,
        givenBy: body.givenBy,
        representativePersonId: body.representativePersonId ?? null,
        recipientOrganisationIds: [...new Set(scope.recipientOrganisationIds)],
        purposes: [...new Set(scope.purposes)],
        categories: [...new Set(scope.categories)],
        informationShown: [...consentInformationItems],
        noticeVersion: notice.version,
        noticeSha256: notice.sha256,
        method: body.method,
        collectedByAgentId: call.agent.agentId,
        collectedByOrganisationId: call.agent.organisationId,
        collectedAt: now,
        expiresAt,
      })
      .returning();
    if (!row) throw new Error('consent insert returned nothing');
    if (overridden.length > 0) {
      await tx
        .insert(outbox)
        .values(
          overridden.map((consent) => outboxRowOf('consent.withdrawn', { consentId: consent.id, endedAt: now.toISOString() })),
        );
    }
    await recordActorAudit(
      tx,
      actor,
      {
        action: body.decision === 'consent' ? 'consent.record' : 'consent.oppose',
        subjectKind: 'consent',
        subjectIds: [row.id, body.personId, ...(body.caseId ? [body.caseId] : [])],
        consentId: row.id,
        outcome: 'allowed',
      },
      auditCallOf(call),
    );
    return consentViewOf(row, now);
  }).catch(async (error: unknown) => {
    if (denied) {
      await recordRefusal(
        db,
        actor,
        { action: 'consent.record', subjectKind: 'person', subjectIds: [body.personId] },
        auditCallOf(call),
      );
    }
    throw error;
  });
}
