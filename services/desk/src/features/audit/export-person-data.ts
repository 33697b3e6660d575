import {
  assessments,
  caseEvents,
  caseMembers,
  cases,
  consents,
  type Database,
  organisations,
  personIdentities,
  personLinks,
  persons,
  referrals,
  rowsOf,
  withActor,
} from '@parcours/db';
import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import { auditCallOf, type DeskCall } from '../../http/desk-call.ts';
import { auditActorOf, reachablePersons } from '../../policy/access-policy.ts';
import type { PersonExport } from './audit.schemas.ts';
import { personInTerritory } from './audit-scope.ts';
import { recordAudit } from './audit-writer.ts';
import { readPersonAccesses } from './person-accesses.ts';

/** Beyond this many accesses the export says so rather than growing without bound. */
const disclosureLimit = 10_000;

/**
 * The person's data (RGPD art. 15): identity, their cases with the journey's steps and assessments,
 * referrals, consents, the organisations that received or read their data, and every read and
 * disclosure. For the référent of an organisation that reaches the person, or an auditor of a territory
 * where the person is known; null (404) otherwise. Audited as `person.export`, with the file's ids.
 */
export async function exportPersonData(db: Database, personId: string, call: DeskCall): Promise<PersonExport | null> {
  const now = call.clock.now();
  return withActor(db, auditActorOf(call.agent), async (tx) => {
    const scope = call.agent.roles.includes('auditor')
      ? personInTerritory(call.agent, personId)
      : sql`exists (select 1 from ${persons} where ${persons.id} = ${personId} and ${reachablePersons(call.agent)})`;
    const [allowed] = rowsOf<{ allowed: boolean }>(await tx.execute(sql`select ${scope} as allowed`));
    if (!allowed?.allowed) {
      await recordAudit(
        tx,
        call.agent,
        { action: 'person.export', subjectKind: 'person', subjectIds: [personId], outcome: 'denied' },
        auditCallOf(call),
      );
      return null;
    }

    const [person] = await tx
      .select({ person: persons, identity: personIdentities })
      .from(persons)
      .leftJoin(personIdentities, eq(personIdentities.personId, persons.id))
      .where(eq(persons.id, personId));
    if (!person) return null;
    const memberships = await tx
      .select({ case: cases, role: caseMembers.role })
      .from(caseMembers)
      .innerJoin(cases, eq(cases.id, caseMembers.caseId))
      .where(eq(caseMembers.personId, personId))
      .orderBy(asc(cases.createdAt), asc(cases.id));
    const caseIds = memberships.map((membership) => membership.case.id);
    // One after the other: a transaction holds one connection.
    const steps =
      caseIds.length === 0
        ? []
        : await tx
            .select()
            .from(caseEvents)
            .where(and(inArray(caseEvents.caseId, caseIds), isNull(caseEvents.referralId)))
            .orderBy(asc(caseEvents.sequence));
    const caseAssessments =
      caseIds.length === 0
        ? []
        : await tx.select().from(assessments).where(inArray(assessments.caseId, caseIds)).orderBy(asc(assessments.createdAt));
    const caseReferrals =
      caseIds.length === 0
        ? []
        : await tx.select().from(referrals).where(inArray(referrals.caseId, caseIds)).orderBy(asc(referrals.createdAt));
    const personConsents = await tx
      .select()
      .from(consents)
      .where(eq(consents.personId, personId))
      .orderBy(asc(consents.collectedAt));
    const disclosures = await readPersonAccesses(tx, personId, disclosureLimit);
    const links = await tx
      .select({ organisationId: personLinks.organisationId, linkedAt: personLinks.linkedAt })
      .from(personLinks)
      .where(eq(personLinks.personId, personId))
      .orderBy(asc(personLinks.linkedAt));

    const organisationIds = new Set<string>([
      ...(person.person.createdByOrganisationId ? [person.person.createdByOrganisationId] : []),
      ...memberships.flatMap(({ case: row }) => [row.entryOrganisationId, row.referentOrganisationId]),
      ...caseReferrals.flatMap((referral) => [referral.fromOrganisationId, referral.toOrganisationId]),
      ...personConsents.flatMap((consent) => [...consent.recipientOrganisationIds, consent.collectedByOrganisationId]),
      ...links.map((link) => link.organisationId),
    ]);
    const names = new Map(
      organisationIds.size === 0
        ? []
        : (
            await tx
              .select({ id: organisations.id, name: organisations.name })
              .from(organisations)
              .where(inArray(organisations.id, [...organisationIds]))
          ).map((row) => [row.id, row.name]),
    );
    const ref = (id: string) => ({ id, name: names.get(id) ?? '' });
    const iso = (date: Date | null) => date?.toISOString() ?? null;

    const recipients = new Map<string, { id: string; name: string }>();
    for (const referral of caseReferrals) recipients.set(referral.toOrganisationId, ref(referral.toOrganisationId));
    for (const access of disclosures) if (access.organisation) recipients.set(access.organisation.id, access.organisation);

    const exported: PersonExport = {
      format: 'parcours.person-export.v1',
      generatedAt: now.toISOString(),
      personId,
      identity: person.identity
        ? {
            familyName: person.identity.familyName,
            givenNames: person.identity.givenNames,
            birthName: person.identity.birthName,
            birthDate: person.identity.birthDate,
            communeInsee: person.identity.communeInsee,
            phone: person.identity.phone,
            email: person.identity.email,
          }
        : null,
      record: {
        createdAt: person.person.createdAt.toISOString(),
        createdBy: person.person.createdByOrganisationId ? ref(person.person.createdByOrganisationId) : null,
        lastContactAt: person.person.lastContactAt.toISOString(),
        // The structures that met her after another had recorded her, and linked their contact to her.
        linkedBy: links.map((link) => ({ organisation: ref(link.organisationId), linkedAt: link.linkedAt.toISOString() })),
        anonymisedAt: iso(person.person.anonymisedAt),
      },
      cases: memberships.map(({ case: row, role }) => ({
        id: row.id,
        role,
        channel: row.channel,
        expressedRequest: row.expressedRequest,
        stage: row.stage,
        entryOrganisation: ref(row.entryOrganisationId),
        referentOrganisation: ref(row.referentOrganisationId),
        openedAt: row.createdAt.toISOString(),
        closedAt: iso(row.closedAt),
        closureReason: row.closureReason,
        steps: steps
          .filter((step) => step.caseId === row.id)
          .map((step) => ({
            at: step.at.toISOString(),
            eventType: step.eventType,
            fromState: step.fromState,
            toState: step.toState,
          })),
        assessments: caseAssessments
          .filter((assessment) => assessment.caseId === row.id)
          .map((assessment) => ({
            id: assessment.id,
            formId: assessment.formId,
            formVersion: assessment.formVersion,
            status: assessment.status,
            answers: assessment.answers,
            potentialRights: assessment.potentialRights,
            completedAt: iso(assessment.completedAt),
          })),
      })),
      referrals: caseReferrals.map((referral) => ({
        id: referral.id,
        caseId: referral.caseId,
        from: ref(referral.fromOrganisationId),
        to: ref(referral.toOrganisationId),
        purpose: referral.purpose,
        sharedCategories: referral.sharedCategories,
        status: referral.status,
        sentAt: referral.createdAt.toISOString(),
        closedAt: iso(referral.closedAt),
      })),
      consents: personConsents.map((consent) => ({
        id: consent.id,
        decision: consent.decision,
        givenBy: consent.givenBy,
        recipients: consent.recipientOrganisationIds.map(ref),
        purposes: consent.purposes,
        categories: consent.categories,
        noticeVersion: consent.noticeVersion,
        noticeSha256: consent.noticeSha256,
        method: consent.method,
        collectedBy: ref(consent.collectedByOrganisationId),
        collectedAt: consent.collectedAt.toISOString(),
        expiresAt: iso(consent.expiresAt),
        withdrawnAt: iso(consent.withdrawnAt),
      })),
      recipients: [...recipients.values()].sort((a, b) => a.name.localeCompare(b.name, 'fr')),
      disclosures,
    };
    await recordAudit(
      tx,
      call.agent,
      { action: 'person.export', subjectKind: 'person', subjectIds: [personId, ...caseIds], outcome: 'allowed' },
      auditCallOf(call),
    );
    return exported;
  });
}
