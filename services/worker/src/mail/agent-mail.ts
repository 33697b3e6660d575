import { createHash } from 'node:crypto';
import { type Database, mailDeliveries } from '@parcours/db';
import { type Logger, safeErrorText } from '@parcours/observability';
import { and, eq, sql } from 'drizzle-orm';
import type { MailRenderer, MailTemplateData, MailTemplateName } from './mail.templates.ts';
import type { MailTransport } from './mail.transport.ts';

/**
 * An agent, or the contact address of an organisation that has no active agent to tell (a partner answering
 * through signed links, without accounts): such an address has no account, so its mail carries no link
 * into the app.
 */
export type MailRecipient = { agentId: string; email: string } | { organisationId: string; email: string };

/** The last part of a delivery's idempotency key: the agent id, or `org:<organisation id>`. */
export function recipientKey(recipient: MailRecipient): string {
  return 'agentId' in recipient ? recipient.agentId : `org:${recipient.organisationId}`;
}

export interface AgentMailDeps {
  db: Database;
  logger: Logger;
  renderer: MailRenderer;
  transport: MailTransport;
  /** Domain time, for what the mail says happened; operational stamps (sentAt) use the real clock. */
  now: () => Date;
}

/**
 * Sends one template to each recipient, at most once per (cause, template, recipient), however many times
 * the job runs. Each send is claimed in mail_deliveries before it happens:
 * - no row yet, or a row that `failed`: claimed (pending), then sent → `sent` with the provider's id, or
 *   refused → `failed`, and the job throws so that the queue retries it;
 * - `sent`: skipped;
 * - `pending`: another run is sending it, or a crash cut a send short and nobody knows whether it left.
 *   Skipped: a mail sent twice cannot be taken back. A `pending` older than any send is turned `uncertain`
 *   by `resolveStalePendingMail` and listed for an admin (never left pending for ever, never resent alone);
 * - `uncertain`: skipped, until an admin replays it.
 */
export async function sendAgentMail<N extends MailTemplateName>(
  deps: AgentMailDeps,
  /**
   * `caseId` null when the cause is not one case (a consent withdrawn). `data` may depend on the recipient
   * (an organisation's contact address gets no link into the app).
   */
  mail: {
    causeId: string;
    template: N;
    data: MailTemplateData<N> | ((recipient: MailRecipient) => MailTemplateData<N>);
    caseId: string | null;
    recipients: MailRecipient[];
  },
): Promise<{ sent: number; skipped: number }> {
  if (mail.recipients.length === 0) {
    // Not an error to retry (nobody to tell is a state of the directory), but worth a look.
    deps.logger.warn({ template: mail.template, caseId: mail.caseId, causeId: mail.causeId }, 'mail without recipient');
    return { sent: 0, skipped: 0 };
  }
  const { data } = mail;
  // Every message rendered before any is claimed: data a template refuses must not leave a pending row.
  const messages = mail.recipients.map((recipient) => ({
    recipient,
    rendered: deps.renderer.render(mail.template, typeof data === 'function' ? data(recipient) : data),
  }));
  const failures: string[] = [];
  let sent = 0;
  let skipped = 0;
  for (const { recipient, rendered } of messages) {
    const idempotencyKey = `${mail.causeId}:${mail.template}:${recipientKey(recipient)}`;
    const [claimed] = await deps.db
      .insert(mailDeliveries)
      .values({
        idempotencyKey,
        template: mail.template,
        recipientAgentId: 'agentId' in recipient ? recipient.agentId : null,
        caseId: mail.caseId,
        status: 'pending',
        attempts: 1,
        claimedAt: sql`now()`,
      })
      .onConflictDoUpdate({
        target: mailDeliveries.idempotencyKey,
        set: { status: 'pending', attempts: sql`${mailDeliveries.attempts} + 1`, lastError: null, claimedAt: sql`now()` },
        setWhere: sql`${mailDeliveries.status} = 'failed'`,
      })
      .returning({ id: mailDeliveries.id });
    if (!claimed) {
      skipped += 1;
      continue;
    }
    const log = deps.logger.child({
      mailDeliveryId: claimed.id,
      template: mail.template,
      ...('agentId' in recipient ? { agentId: recipient.agentId } : { organisationId: recipient.organisationId }),
    });
    try {
      const providerMessageId = await deps.transport.send({
        to: recipient.email,
        ...rendered,
        messageId: `<${createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 32)}@parcours>`,
      });
      await deps.db
        .update(mailDeliveries)
        .set({ status: 'sent', providerMessageId, sentAt: new Date() })
        .where(eq(mailDeliveries.id, claimed.id));
      log.info('mail sent');
      sent += 1;
    } catch (error) {
      const message = safeErrorText(error);
      await deps.db.update(mailDeliveries).set({ status: 'failed', lastError: message }).where(eq(mailDeliveries.id, claimed.id));
      log.warn({ err: error }, 'mail refused');
      failures.push(claimed.id);
    }
  }
  if (failures.length > 0) throw new Error(`mail not sent for deliveries ${failures.join(', ')}`);
  return { sent, skipped };
}

/** A send takes seconds; a claim this old was cut short by its worker's death. */
export const stalePendingMailMs = 15 * 60 * 1000;

/**
 * Turns the deliveries left `pending` by a worker that died mid-send into `uncertain` (the message may have
 * left or not), with a warning line each: visible to admins (`jobs failed`), never resent automatically.
 */
export async function resolveStalePendingMail(db: Database, logger: Logger, olderThanMs = stalePendingMailMs): Promise<number> {
  const resolved = await db
    .update(mailDeliveries)
    .set({
      status: 'uncertain',
      lastError: 'le traitement s’est arrêté pendant l’envoi : on ne sait pas si le courriel est parti',
    })
    .where(
      and(
        eq(mailDeliveries.status, 'pending'),
        sql`${mailDeliveries.claimedAt} < now() - make_interval(secs => ${olderThanMs / 1000})`,
      ),
    )
    .returning({ id: mailDeliveries.id, template: mailDeliveries.template });
  for (const row of resolved) {
    logger.warn({ mailDeliveryId: row.id, template: row.template }, 'mail left pending by a stopped worker: marked uncertain');
  }
  return resolved.length;
}
