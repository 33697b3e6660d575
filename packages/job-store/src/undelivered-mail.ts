import { type Database, mailDeliveries, outbox } from '@parcours/db';
import { eq, sql } from 'drizzle-orm';

export interface UndeliveredMail {
  id: string;
  template: string;
  status: 'failed' | 'uncertain';
  attempts: number;
  lastError: string | null;
  claimedAt: Date;
}

/** Deliveries an admin should look at: refused for now (`failed`, retried by their job) or `uncertain`. */
export async function listUndeliveredMail(db: Database, limit = 100): Promise<UndeliveredMail[]> {
  const rows = await db
    .select({
      id: mailDeliveries.id,
      template: mailDeliveries.template,
      status: mailDeliveries.status,
      attempts: mailDeliveries.attempts,
      lastError: mailDeliveries.lastError,
      claimedAt: mailDeliveries.claimedAt,
    })
    .from(mailDeliveries)
    .where(sql`${mailDeliveries.status} in ('failed', 'uncertain')`)
    .orderBy(mailDeliveries.claimedAt)
    .limit(limit);
  return rows as UndeliveredMail[];
}

/**
 * An admin, having checked that an `uncertain` (or `failed`) mail did not arrive, sends it again: the delivery
 * goes back to `failed` and its cause (the outbox row named by its idempotency key) is owed again, so the
 * worker runs the job once more and the mail leaves once. Answers what was done.
 */
export async function resendMail(db: Database, deliveryId: string): Promise<'requeued' | 'not_found' | 'already_sent'> {
  return db.transaction(async (tx) => {
    const [delivery] = await tx.select().from(mailDeliveries).where(eq(mailDeliveries.id, deliveryId)).for('update');
    if (!delivery) return 'not_found';
    if (delivery.status === 'sent') return 'already_sent';
    const causeId = delivery.idempotencyKey.split(':')[0] as string;
    await tx.update(mailDeliveries).set({ status: 'failed' }).where(eq(mailDeliveries.id, deliveryId));
    const requeued = await tx
      .update(outbox)
      .set({ dispatchedAt: null, completedAt: null, availableAt: sql`now()` })
      .where(eq(outbox.id, causeId))
      .returning({ id: outbox.id });
    return requeued.length > 0 ? 'requeued' : 'not_found';
  });
}
