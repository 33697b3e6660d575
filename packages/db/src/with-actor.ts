import type { ActorKind } from '@parcours/vocabulary';
import { sql } from 'drizzle-orm';
import type { Database, Transaction } from './client.ts';

/** Who is acting: an agent for an organisation, a partner through a signed link, the system, or the person. */
export interface Actor {
  readonly kind: ActorKind;
  /** Agent id, partner-link id or person id; null for the system. */
  readonly id: string | null;
  /** The organisation the actor acts for; null for the system and the person. */
  readonly organisationId: string | null;
  /**
   * A territory the actor reads across, for audit work only (an auditor's or supervisor's "who saw this
   * file", the person's data export, the audit log): the policies then also admit that territory's cases
   * and persons. The application's policy decides who gets it; absent everywhere else.
   */
  readonly territoryScope?: string | null;
}

export const systemActor: Actor = Object.freeze({ kind: 'system', id: null, organisationId: null });

/** The role every actor transaction switches to: bound by the row-level security policies (migration 0008). */
export const applicationRole = 'parcours_app';

/**
 * The system's role (migration 0012): the policies admit every row to it, and to no one else — being the
 * system is a role the connection must hold, not a setting any session could write.
 */
export const systemRole = 'parcours_system';

/**
 * Every query touching person data runs inside this wrapper: one transaction that switches to the
 * application role (`SET LOCAL ROLE`, here as `set_config('role', …)` so it travels in the same statement)
 * and names the actor and the acting organisation (`parcours.actor_*`, transaction-local). The forced
 * row-level security policies read those settings, so a forgotten filter in application code cannot widen
 * access — whoever the connection is, PGlite's superuser included, since the role is switched here.
 */
export async function withActor<T>(db: Database, actor: Actor, work: (tx: Transaction) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.execute(
      sql`select set_config('role', ${actor.kind === 'system' ? systemRole : applicationRole}, true),
                 set_config('parcours.actor_kind', ${actor.kind}, true),
                 set_config('parcours.actor_id', ${actor.id ?? ''}, true),
                 set_config('parcours.organisation_id', ${actor.organisationId ?? ''}, true),
                 set_config('parcours.territory_scope', ${actor.territoryScope ?? ''}, true)`,
    );
    return work(tx as Transaction);
  });
}
