import { parisDateOf, parisInstantAt } from '@parcours/calendar';
import { agents, memberships, rowsOf, systemActor, withActor } from '@parcours/db';
import { and, eq, sql } from 'drizzle-orm';
import { type AgentMailDeps, type MailRecipient, sendAgentMail } from './agent-mail.ts';

/**
 * The partners' half-day digest: a partner agent who chose `digest` gets, at 08:00 and 13:00 Paris time, one
 * mail listing the referrals sent to the organisation since the previous one (purpose, instant, link; nothing
 * about the person), and no mail per referral.
 *
 * Read from PostgreSQL alone (the log's SEND events), never from a queue: a Redis that lost its data, a
 * worker down at 08:00, or two workers running it at once change nothing. Each (agent, organisation, window)
 * is one delivery in `mail_deliveries` (its idempotency key), so a digest is sent once; a refused one is tried
 * again at the next run while its window is among the last ones, then stays listed for admins as undelivered.
 */

/** Paris wall-clock hours at which a digest window closes. */
export const digestHours = [8, 13] as const;
/** A window is mailed this long after it closes: a transaction stamped just before may still be committing. */
export const digestSettleMs = 60_000;
/** Windows looked back at on each run: two days (a worker stopped over a night still sends them). */
const windowsLookedBack = 4;
/** At most this many referrals listed in one mail; the rest are counted (the inbox lists them all). */
const listedPerDigest = 100;

export interface DigestWindow {
  from: Date;
  to: Date;
}

/** The last `count` digest windows closed (and settled) at `now`, oldest first. */
export function closedDigestWindows(now: Date, count = windowsLookedBack): DigestWindow[] {
  const today = parisDateOf(now);
  const boundaries: Date[] = [];
  // Enough days back for `count` windows and the start of the oldest one.
  const days = Math.ceil(count / digestHours.length) + 2;
  for (let back = days; back >= 0; back -= 1) {
    const day = new Date(`${today}T12:00:00Z`);
    day.setUTCDate(day.getUTCDate() - back);
    const isoDate = day.toISOString().slice(0, 10);
    for (const hour of digestHours) boundaries.push(parisInstantAt(isoDate, hour));
  }
  const closed = boundaries.filter((boundary) => boundary.getTime() + digestSettleMs <= now.getTime());
  const windows = closed.slice(1).map((to, index) => ({ from: closed[index] as Date, to }));
  return windows.slice(-count);
}

interface DigestReader {
  agentId: string;
  email: string;
  organisationId: string;
}

/** Sends the digests of the last closed windows that are owed. Returns the mails sent. */
export async function sendReferralDigests(deps: AgentMailDeps & { publicUrl: string }, now: Date = deps.now()): Promise<number> {
  const readers: DigestReader[] = await deps.db
    .select({ agentId: agents.id, email: agents.email, organisationId: memberships.organisationId })
    .from(memberships)
    .innerJoin(agents, eq(agents.id, memberships.agentId))
    .where(
      and(eq(memberships.referralMail, 'digest'), eq(agents.active, true), sql`${memberships.roles} && array['partner']::text[]`),
    );
  if (readers.length === 0) return 0;
  const organisationIds = [...new Set(readers.map((reader) => reader.organisationId))];
  let sent = 0;
  for (const window of closedDigestWindows(now)) {
    // The log is under row-level security: read as the system. Ids, purposes and instants only.
    const sentReferrals = rowsOf<{ referral_id: string; organisation_id: string; purpose: string; at: string }>(
      await withActor(deps.db, systemActor, (tx) =>
        tx.execute(sql`
          select e.referral_id, r.to_organisation_id as organisation_id, r.purpose,
                 to_char(e.at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as at
          from case_events e join referrals r on r.id = e.referral_id
          where e.event_type = 'SEND' and e.referral_id is not null
            and e.at >= ${window.from.toISOString()}::timestamptz and e.at < ${window.to.toISOString()}::timestamptz
            and r.to_organisation_id in (select jsonb_array_elements_text(${JSON.stringify(organisationIds)}::jsonb)::uuid)
          order by e.at, e.referral_id`),
      ),
    );
    for (const organisationId of organisationIds) {
      const listed = sentReferrals.filter((referral) => referral.organisation_id === organisationId);
      if (listed.length === 0) continue;
      const recipients: MailRecipient[] = readers
        .filter((reader) => reader.organisationId === organisationId)
        .map((reader) => ({ agentId: reader.agentId, email: reader.email }));
      const result = await sendAgentMail(deps, {
        // The window and the organisation make the cause: one digest per agent, organisation and half-day.
        causeId: `digest:${organisationId}:${window.to.toISOString()}`,
        template: 'referral-digest',
        caseId: null,
        data: {
          inboxUrl: `${deps.publicUrl}/partenaire/orientations`,
          from: window.from,
          to: window.to,
          referrals: listed.slice(0, listedPerDigest).map((referral) => ({
            referralUrl: `${deps.publicUrl}/partenaire/orientations/${referral.referral_id}`,
            purpose: referral.purpose,
            sentAt: new Date(referral.at),
          })),
          more: Math.max(0, listed.length - listedPerDigest),
        },
        recipients,
      }).catch((error: unknown) => {
        // One organisation's refused mail does not hold the others back; the next run tries it again.
        deps.logger.warn({ err: error, organisationId }, 'referral digest not sent');
        return { sent: 0, skipped: 0 };
      });
      sent += result.sent;
    }
  }
  return sent;
}
