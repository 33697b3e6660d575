import { sql } from 'drizzle-orm';
import type { Database, Transaction } from './client.ts';
import type { ActorKind } from './schema/enums.ts';

/** Who is acting: an agent for an organisation, a partner through a signed link, the system, or the person. */
export interface Actor {
  readonly kind: ActorKind;
  /** Agent id, partner-link id or person id; null for the system. */
  readonly id: string | null;
  /** The organisation the actor acts for; null for the system and the person. */
  readonly organisationId: string | null;
}

export const systemActor: Actor = Object.freeze({ kind: 'system', id: null, organisationId: null });

/**
 * Every query touching person data runs inside this wrapper: one transaction whose settings name the
 * actor and the acting organisation (`parcours.actor_*`, transaction-local). Row-level security
 * policies read those settings, so a forgotten filter in application code cannot widen access.
 */
export async function withActor<T>(db: Database, actor: Actor, work: (tx: Transaction) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.execute(
      sql`select set_config('parcours.actor_kind', ${actor.kind}, true),
                 set_config('parcours.actor_id', ${actor.id ?? ''}, true),
                 set_config('parcours.organisation_id', ${actor.organisationId ?? ''}, true)`,
    );
    return work(tx as Transaction);
  });
}
