import { createHash } from 'node:crypto';
import { type Database, mailDeliveries } from '@parcours/db';
import type { Logger } from '@parcours/observability';
import { eq, sql } from 'drizzle-orm';
import type { MailRenderer, MailTemplateData, MailTemplateName } from './mail.templates.ts';
import type { MailTransport } from './mail.transport.ts';

export interface MailRecipient {
  agentId: string;
  email: string;
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
 *   Skipped: a mail possibly lost is visible in the table; a mail sent twice cannot be taken back.
 */
export async function sendAgentMail<N extends MailTemplateName>(
  deps: AgentMailDeps,
  /** `caseId` null when the cause is not one case (a consent withdrawn). */
  mail: { causeId: string; template: N; data: MailTemplateData<N>; caseId: string | null; recipients: MailRecipient[] },
): Promise<{ sent: number; skipped: number }> {
  if (mail.recipients.length === 0) {
    // Not an error to retry (nobody to tell is a state of the directory), but worth a look.
    deps.logger.warn({ template: mail.template, caseId: mail.caseId, causeId: mail.causeId }, 'mail without recipient');
    return { sent: 0, skipped: 0 };
  }
  const rendered = deps.renderer.render(mail.template, mail.data);
  const failures: string[] = [];
  let sent = 0;
  let skipped = 0;
  for (const recipient of mail.recipients) {
    const idempotencyKey = `${mail.causeId}:${mail.template}:${recipient.agentId}`;
    const [claimed] = await deps.db
      .insert(mailDeliveries)
      .values({
        idempotencyKey,
        template: mail.template,
        recipientAgentId: recipient.agentId,
        caseId: mail.caseId,
        status: 'pending',
        attempts: 1,
      })
      .onConflictDoUpdate({
        target: mailDeliveries.idempotencyKey,
        set: { status: 'pending', attempts: sql`${mailDeliveries.attempts} + 1`, lastError: null },
        setWhere: sql`${mailDeliveries.status} = 'failed'`,
      })
      .returning({ id: mailDeliveries.id });
    if (!claimed) {
      skipped += 1;
      continue;
    }
    const log = deps.logger.child({ mailDeliveryId: claimed.id, template: mail.template, agentId: recipient.agentId });
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
      const message = error instanceof Error ? error.message : String(error);
      await deps.db.update(mailDeliveries).set({ status: 'failed', lastError: message }).where(eq(mailDeliveries.id, claimed.id));
      log.warn({ err: message }, 'mail refused');
      failures.push(claimed.id);
    }
  }
  if (failures.length > 0) throw new Error(`mail not sent for deliveries ${failures.join(', ')}`);
  return { sent, skipped };
}
