import { agents, cases, type Database, memberships, organisations, referrals, systemActor, withActor } from '@parcours/db';
import type { MembershipRole, ReferralMailMode } from '@parcours/vocabulary';
import { and, eq, isNotNull, ne, sql } from 'drizzle-orm';
import { type MailRecipient, recipientKey } from './agent-mail.ts';

const recipientColumns = { agentId: agents.id, email: agents.email };

/** Active agents of an organisation holding at least one of the roles (and, if given, this referral mail mode). */
async function agentsWithRole(
  db: Database,
  organisationId: string,
  roles: MembershipRole[],
  referralMail?: ReferralMailMode,
): Promise<MailRecipient[]> {
  return db
    .selectDistinct(recipientColumns)
    .from(memberships)
    .innerJoin(agents, eq(agents.id, memberships.agentId))
    .where(
      and(
        eq(memberships.organisationId, organisationId),
        eq(agents.active, true),
        // Roles are the schema's closed vocabulary, never input: safe to inline.
        sql`${memberships.roles} && ${sql.raw(`array[${roles.map((role) => `'${role}'`).join(', ')}]::text[]`)}`,
        referralMail ? eq(memberships.referralMail, referralMail) : undefined,
      ),
    )
    .orderBy(agents.id);
}

export async function activeAgent(db: Database, agentId: string): Promise<MailRecipient[]> {
  return db
    .select(recipientColumns)
    .from(agents)
    .where(and(eq(agents.id, agentId), eq(agents.active, true)));
}

/** Who follows a case: its référent agent, or failing one, the référent organisation's referents and supervisors. */
export async function caseFollowers(db: Database, caseId: string): Promise<MailRecipient[]> {
  // Cases and referrals are under row-level security: the worker reads them as the system.
  const [row] = await withActor(db, systemActor, (tx) =>
    tx
      .select({ referentAgentId: cases.referentAgentId, referentOrganisationId: cases.referentOrganisationId })
      .from(cases)
      .where(eq(cases.id, caseId)),
  );
  if (!row) return [];
  const referent = row.referentAgentId ? await activeAgent(db, row.referentAgentId) : [];
  return referent.length > 0 ? referent : agentsWithRole(db, row.referentOrganisationId, ['referent', 'supervisor']);
}

/** The partner agents of the organisation a referral was sent to. */
export async function referralRecipientPartners(db: Database, referralId: string): Promise<MailRecipient[]> {
  const [row] = await withActor(db, systemActor, (tx) =>
    tx.select({ organisationId: referrals.toOrganisationId }).from(referrals).where(eq(referrals.id, referralId)),
  );
  return row ? agentsWithRole(db, row.organisationId, ['partner']) : [];
}

/** The partner agents of the organisation a referral was sent to who chose one mail per referral. */
export async function newReferralRecipients(db: Database, referralId: string): Promise<MailRecipient[]> {
  const [row] = await withActor(db, systemActor, (tx) =>
    tx.select({ organisationId: referrals.toOrganisationId }).from(referrals).where(eq(referrals.id, referralId)),
  );
  return row ? agentsWithRole(db, row.organisationId, ['partner'], 'each') : [];
}

/** An organisation's contact address, if it has one. */
async function organisationContact(db: Database, organisationId: string): Promise<MailRecipient[]> {
  return db
    .select({ organisationId: organisations.id, email: sql<string>`${organisations.contactEmail}` })
    .from(organisations)
    .where(and(eq(organisations.id, organisationId), isNotNull(organisations.contactEmail), ne(organisations.contactEmail, '')));
}

/**
 * Who to tell, for each organisation a consent named, when it ends: its partner agents; failing any (a
 * partner answering through signed links, without accounts), its contact address.
 */
export async function consentRecipients(db: Database, organisationIds: readonly string[]): Promise<MailRecipient[]> {
  const lists = await Promise.all(
    organisationIds.map(async (organisationId) => {
      const partners = await agentsWithRole(db, organisationId, ['partner']);
      return partners.length > 0 ? partners : organisationContact(db, organisationId);
    }),
  );
  return [...new Map(lists.flat().map((recipient) => [recipientKey(recipient), recipient])).values()];
}

/** The supervisors of the organisation that sent a referral. */
export async function referralSenderSupervisors(db: Database, referralId: string): Promise<MailRecipient[]> {
  const [row] = await withActor(db, systemActor, (tx) =>
    tx.select({ organisationId: referrals.fromOrganisationId }).from(referrals).where(eq(referrals.id, referralId)),
  );
  return row ? agentsWithRole(db, row.organisationId, ['supervisor']) : [];
}
