import { type ConsentFacts, type Disclosure, disclosableCategories } from '@parcours/consent';

import { type Actor, caseMembers, cases, personLinks, persons } from '@parcours/db';
import type { DataCategory, MembershipRole, ReferralPurpose } from '@parcours/vocabulary';
import { eq, or, type SQL, sql } from 'drizzle-orm';

/**
 * The one place that decides who may do what: it only decides (no HTTP, no session, no audit writing;
 * `src/http/resolve-caller.ts` applies it to a request and audits a refusal). Default deny: a route names its access, an acting
 * route names a permission, and a permission lists the roles that hold it; anything not listed is
 * refused. Case-level access is decided here too, and the use cases only apply these predicates.
 */

export type Permission =
  | 'person.create'
  | 'person.search'
  | 'case.open'
  | 'case.read'
  | 'case.list'
  | 'case.transition'
  | 'assessment.read'
  | 'assessment.write'
  | 'orientation.suggest'
  | 'orientation.choose'
  | 'directory.read'
  | 'directory.import'
  | 'contact.record'
  | 'consent.read'
  | 'consent.record'
  | 'consent.withdraw'
  | 'referral.read'
  | 'referral.send'
  | 'referral.cancel'
  | 'referral.handover'
  | 'partner_link.issue'
  | 'partner.inbox'
  | 'partner.case_read'
  | 'referral.answer'
  | 'referral_mail.choose'
  | 'audit.read'
  | 'person.access_log'
  | 'person.export'
  | 'supervision.read'
  | 'agent.unlock'
  | 'operations.read'
  | 'operations.replay';

/**
 * The roles that handle the referrals addressed to their organisation: its reception and référent agents
 * (a CCAS, the département's social service) as well as the partner agents of an institution that only
 * receives (CAF, France Travail).
 */
const rolesReceivingReferrals: readonly MembershipRole[] = ['reception', 'referent', 'partner'];

const rolesHolding: Record<Permission, readonly MembershipRole[]> = {
  'person.create': ['reception', 'referent'],
  'person.search': ['reception', 'referent'],
  'case.open': ['reception', 'referent'],
  // A supervisor's drill-down into a file is a read like any other (audited the same way).
  'case.read': ['reception', 'referent', 'supervisor'],
  'case.list': ['reception', 'referent', 'supervisor'],
  'case.transition': ['reception', 'referent'],
  'contact.record': ['reception', 'referent'],
  'assessment.read': ['reception', 'referent', 'supervisor'],
  'assessment.write': ['reception', 'referent'],
  // Suggestions explain themselves with the person's needs, health ones included: same roles as health data.
  'orientation.suggest': ['reception', 'referent'],
  'orientation.choose': ['reception', 'referent'],
  // The directory holds no personal data: every role may browse and export it.
  'directory.read': ['reception', 'referent', 'partner', 'supervisor', 'admin', 'auditor'],
  'directory.import': ['admin'],
  // Lifting the login back-off of an agent of the territory (who forgot a password, or was sprayed).
  'agent.unlock': ['admin'],
  // Failed jobs and undelivered mail: ids, templates and error classes, no person data (« Exploitation »).
  'operations.read': ['admin'],
  'operations.replay': ['admin'],
  // Consents are collected and withdrawn at the desk, by those who hold the file.
  'consent.read': ['reception', 'referent', 'supervisor'],
  'consent.record': ['reception', 'referent'],
  'consent.withdraw': ['reception', 'referent'],
  'referral.read': ['reception', 'referent', 'supervisor'],
  'referral.send': ['reception', 'referent'],
  'referral.cancel': ['reception', 'referent'],
  'referral.handover': ['referent'],
  'partner_link.issue': ['reception', 'referent'],
  // Receiving referrals is part of every structure's work: the agents of the recipient organisation who
  // handle incoming requests read and answer them, each time only through an active referral covered by a
  // consent (`decidePartnerDisclosure`), health only with `health_data`.
  'partner.inbox': rolesReceivingReferrals,
  'partner.case_read': rolesReceivingReferrals,
  'referral.answer': rolesReceivingReferrals,
  // Mails about new referrals go to partner agents (as reminders do): each chooses one per referral or a digest.
  'referral_mail.choose': ['partner'],
  // The audit (issue 8): auditors read their territory's whole audit, supervisors what its organisations'
  // agents did (src/audit/audit-scope.ts). Each of these reads is audited itself.
  'audit.read': ['auditor', 'supervisor'],
  // "Who saw this person's file": the person's access log, for auditors and supervisors of the territory.
  'person.access_log': ['auditor', 'supervisor'],
  // The person's data export (RGPD art. 15): the référent who holds the file prints it for them, or the auditor.
  'person.export': ['referent', 'auditor'],
  // Supervision (issue 17): aggregates only, never a person. Supervisors read their territory's; every
  // organisation's agents read their own organisation's part (how fast it answers, what it declines and why).
  'supervision.read': ['supervisor', 'reception', 'referent', 'partner'],
};

/**
 * Roles that may see health data (answers of assessment domains tagged `health`) of a case their
 * organisation reaches. Provisional: the consent issue replaces this with health permissions.
 */
const rolesReadingHealthData: readonly MembershipRole[] = ['reception', 'referent'];

/**
 * Partners reach a case only through an ACTIVE referral addressed to their organisation, covered by an
 * active consent of the person, with no opposition; they see the covered categories only, health only
 * with the `health_data` role. Decided by `decidePartnerDisclosure` on consents read in the request.
 */
export const activeReferralStatuses: readonly string[] = [
  'sent',
  'seen',
  'underStudy',
  'accepted',
  'appointmentSet',
  'inProgress',
];

export function isActiveReferralStatus(status: string): boolean {
  return activeReferralStatuses.includes(status);
}

/** The health permission: a role of its own, held by a partner's health professionals. */
export function holdsHealthPermission(agent: Pick<ActingAgent, 'roles'>): boolean {
  return agent.roles.includes('health_data');
}

/** Who reads as a partner: an agent of the organisation, or a signed link (never health data). */
export interface PartnerReader {
  organisationId: string;
  mayReadHealth: boolean;
}

/**
 * The partner's part of the one policy: acting organisation = the referral's recipient ∧ the referral is
 * active (sent, not closed nor cancelled) ∧ an active consent of the person names the recipient and the
 * purpose ∧ no opposition. Returns what may be shown (referral categories ∩ consented, health only with
 * the permission) and the consent to audit, or null: deny.
 */
export function decidePartnerDisclosure(
  reader: PartnerReader,
  referral: { toOrganisationId: string; status: string; purpose: string; sharedCategories: readonly string[] },
  consents: readonly ConsentFacts[],
  now: Date,
): Disclosure | null {
  if (referral.toOrganisationId !== reader.organisationId) return null;
  if (!isActiveReferralStatus(referral.status)) return null;
  return disclosableCategories(
    consents,
    {
      recipientOrganisationId: referral.toOrganisationId,
      purpose: referral.purpose as ReferralPurpose,
      categories: referral.sharedCategories as DataCategory[],
    },
    now,
    reader,
  );
}

/** The sender's part: an organisation moves (sends, cancels, issues links for) the referrals of the cases it reaches. */
export function canSendFor(agent: ActingAgent, row: { entryOrganisationId: string; referentOrganisationId: string }): boolean {
  return canReachCase(agent, row);
}

export type Access =
  | { kind: 'public' }
  /** A logged-in agent, whatever organisation (choosing one, reading one's own session). */
  | { kind: 'agent' }
  /** A logged-in agent acting for an organisation, with a role holding the permission. */
  | { kind: 'acting'; permission: Permission };

export interface SessionAgent {
  agentId: string;
}

export interface ActingAgent {
  agentId: string;
  organisationId: string;
  territoryId: string;
  roles: MembershipRole[];
}

export type CallerOf<A extends Access> = A extends { kind: 'acting' }
  ? ActingAgent
  : A extends { kind: 'agent' }
    ? SessionAgent
    : null;

export function actorOf(agent: ActingAgent): Actor {
  return { kind: 'agent', id: agent.agentId, organisationId: agent.organisationId };
}

/**
 * The actor of audit work (the audit log, "who saw this file", the person's data export) for a caller
 * holding an audit role: the row-level security policies then admit the cases and persons of the caller's
 * territory, which these reads span by design. Anyone else acts as `actorOf`.
 */
export function auditActorOf(agent: ActingAgent): Actor {
  const spansTerritory = agent.roles.some((role) => rolesSpanningTerritoryInAudit.includes(role));
  return spansTerritory ? { ...actorOf(agent), territoryScope: agent.territoryId } : actorOf(agent);
}

const rolesSpanningTerritoryInAudit: readonly MembershipRole[] = ['auditor', 'supervisor'];

/** Whether one of the roles an agent holds in the acting organisation holds the permission. */
export function holdsPermission(roles: readonly MembershipRole[], permission: Permission): boolean {
  return roles.some((role) => rolesHolding[permission].includes(role));
}

/** An organisation reaches a case it is the entry point or the référent of. */
export function canReachCase(agent: ActingAgent, row: { entryOrganisationId: string; referentOrganisationId: string }): boolean {
  return row.entryOrganisationId === agent.organisationId || row.referentOrganisationId === agent.organisationId;
}

/** Health-tagged answers of a reachable case: only to the roles that hold health data (see `rolesReadingHealthData`). */
export function canReadHealthData(
  agent: ActingAgent,
  row: { entryOrganisationId: string; referentOrganisationId: string },
): boolean {
  return canReachCase(agent, row) && agent.roles.some((role) => rolesReadingHealthData.includes(role));
}

/** `canReachCase` as a SQL predicate on `cases`, for lists. */
export function reachableCases(agent: ActingAgent): SQL {
  return or(eq(cases.entryOrganisationId, agent.organisationId), eq(cases.referentOrganisationId, agent.organisationId)) as SQL;
}

/**
 * Persons an organisation reaches: those it recorded, those it linked its contact to (a match across the
 * territory), and the members of its cases. Duplicate search and case membership stay within them; a person
 * known elsewhere is only said to be known, by the kind of structure, through keyed digests.
 */
export function reachablePersons(agent: ActingAgent): SQL {
  return sql`(${persons.createdByOrganisationId} = ${agent.organisationId} or exists (
    select 1 from ${personLinks} where ${personLinks.personId} = ${persons.id} and ${personLinks.organisationId} = ${agent.organisationId}) or exists (
    select 1 from ${caseMembers} join ${cases} on ${cases.id} = ${caseMembers.caseId}
    where ${caseMembers.personId} = ${persons.id}
      and (${cases.entryOrganisationId} = ${agent.organisationId} or ${cases.referentOrganisationId} = ${agent.organisationId})))`;
}

/**
 * Whose figures a caller of `supervision.read` sees: the whole territory for a supervisor, otherwise only
 * the cells the caller's organisation takes part in (as entry point or as partner).
 */
export function supervisionScopeOf(agent: ActingAgent): { territoryId: string; organisationId: string | null } {
  return agent.roles.includes('supervisor')
    ? { territoryId: agent.territoryId, organisationId: null }
    : { territoryId: agent.territoryId, organisationId: agent.organisationId };
}
