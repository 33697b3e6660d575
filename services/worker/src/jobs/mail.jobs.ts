import { caseEvents, consents, type Database, systemActor, withActor } from '@parcours/db';
import { and, eq, isNull } from 'drizzle-orm';
import { type AgentMailDeps, sendAgentMail } from '../mail/agent-mail.ts';
import {
  activeAgent,
  caseFollowers,
  consentRecipients,
  newReferralRecipients,
  referralRecipientPartners,
  referralSenderSupervisors,
} from '../mail/recipients.repository.ts';
import type { JobHandlers } from './job-processor.ts';

export interface MailJobDeps extends AgentMailDeps {
  /** Base URL of the app, without a trailing slash: mails link to the case, never describe it. */
  publicUrl: string;
}

/** When the transition that wrote the effect happened: the case event at that revision. */
async function occurredAt(
  db: Database,
  effect: { caseId: string; referralId: string | null; revision: number; at?: string | undefined },
  fallback: Date,
) {
  // Written with the effect since it carries it; older rows read it from the event log (under row-level
  // security: the worker reads it as the system).
  if (effect.at) return new Date(effect.at);
  const [event] = await withActor(db, systemActor, (tx) =>
    tx
      .select({ at: caseEvents.at })
      .from(caseEvents)
      .where(
        and(
          eq(caseEvents.caseId, effect.caseId),
          effect.referralId ? eq(caseEvents.referralId, effect.referralId) : isNull(caseEvents.referralId),
          eq(caseEvents.revision, effect.revision),
        ),
      ),
  );
  return event?.at ?? fallback;
}

/**
 * Effects that tell agents something happened. The outbox row id (the job id) is the cause in every mail's
 * idempotency key, so a re-delivered job never mails anyone twice.
 */
export function createMailJobHandlers(
  deps: MailJobDeps,
): Pick<
  JobHandlers,
  | 'effect.notifyCaseAssigned'
  | 'effect.notifyDeadlinePassed'
  | 'effect.remindPartner'
  | 'effect.escalateToSenderSupervisor'
  | 'effect.notifyReferralAnswered'
  | 'effect.notifyReferralSent'
  | 'consent.withdrawn'
> {
  // The desk's pages (`/dossiers/…` for those who follow the case, `/partenaire/orientations/…` for the partner
  // a referral was sent to): a link its recipient can open once logged in (test/mail-links.test.ts).
  const caseUrl = (caseId: string) => `${deps.publicUrl}/dossiers/${caseId}`;
  const partnerReferralUrl = (referralId: string) => `${deps.publicUrl}/partenaire/orientations/${referralId}`;
  return {
    'effect.notifyCaseAssigned': async (effect, job) => {
      await sendAgentMail(deps, {
        causeId: job.id,
        template: 'case-assigned',
        caseId: effect.caseId,
        data: { caseUrl: caseUrl(effect.caseId), assignedAt: await occurredAt(deps.db, effect, deps.now()) },
        recipients: await activeAgent(deps.db, effect.params.agentId),
      });
    },
    'effect.notifyDeadlinePassed': async (effect, job) => {
      await sendAgentMail(deps, {
        causeId: job.id,
        template: 'deadline-passed',
        caseId: effect.caseId,
        data: {
          caseUrl: caseUrl(effect.caseId),
          stage: effect.params.stage,
          passedAt: await occurredAt(deps.db, effect, deps.now()),
        },
        recipients: await caseFollowers(deps.db, effect.caseId),
      });
    },
    'effect.remindPartner': async (effect, job) => {
      await sendAgentMail(deps, {
        causeId: job.id,
        template: 'referral-reminder',
        caseId: effect.caseId,
        data: { caseUrl: partnerReferralUrl(effect.referralId), remindedAt: await occurredAt(deps.db, effect, deps.now()) },
        recipients: await referralRecipientPartners(deps.db, effect.referralId),
      });
    },
    'effect.escalateToSenderSupervisor': async (effect, job) => {
      await sendAgentMail(deps, {
        causeId: job.id,
        template: 'referral-escalation',
        caseId: effect.caseId,
        data: {
          caseUrl: caseUrl(effect.caseId),
          breachesUrl: `${deps.publicUrl}/pilotage/depassements`,
          escalatedAt: await occurredAt(deps.db, effect, deps.now()),
        },
        recipients: await referralSenderSupervisors(deps.db, effect.referralId),
      });
    },
    'effect.notifyReferralAnswered': async (effect, job) => {
      await sendAgentMail(deps, {
        causeId: job.id,
        template: 'referral-answered',
        caseId: effect.caseId,
        data: {
          caseUrl: caseUrl(effect.caseId),
          status: effect.params.status,
          answeredAt: await occurredAt(deps.db, effect, deps.now()),
        },
        recipients: await caseFollowers(deps.db, effect.caseId),
      });
    },
    'effect.notifyReferralSent': async (effect, job) => {
      const recipients = await newReferralRecipients(deps.db, effect.referralId);
      // Partners who chose the half-day digest, or an organisation without agents, get no mail per referral:
      // not a fault to warn about (sendAgentMail warns when nobody is told).
      if (recipients.length === 0) return;
      await sendAgentMail(deps, {
        causeId: job.id,
        template: 'referral-received',
        caseId: effect.caseId,
        data: { referralUrl: partnerReferralUrl(effect.referralId), sentAt: await occurredAt(deps.db, effect, deps.now()) },
        recipients,
      });
    },
    'consent.withdrawn': async (payload, job) => {
      const [consent] = await withActor(deps.db, systemActor, (tx) =>
        tx
          .select({ caseId: consents.caseId, recipients: consents.recipientOrganisationIds })
          .from(consents)
          .where(eq(consents.id, payload.consentId)),
      );
      if (!consent) return;
      await sendAgentMail(deps, {
        causeId: job.id,
        template: 'consent-withdrawn',
        caseId: consent.caseId,
        data: (recipient) => ({
          // An organisation told at its contact address has no account: no link it could follow.
          inboxUrl: 'agentId' in recipient ? `${deps.publicUrl}/partenaire/orientations` : null,
          withdrawnAt: new Date(payload.endedAt),
        }),
        recipients: await consentRecipients(deps.db, payload.recipientOrganisationIds ?? consent.recipients),
      });
    },
  };
}
