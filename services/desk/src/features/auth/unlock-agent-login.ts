import { agents, type Database, memberships, organisations } from '@parcours/db';
import { and, eq } from 'drizzle-orm';
import { auditCallOf, type DeskCall } from '../../http/desk-call.ts';
import { agentNotFound } from '../../http/not-found.ts';
import { recordAudit } from '../audit/audit-writer.ts';
import type { LoginThrottle } from './login-throttle.ts';

/**
 * An admin lifts the login back-off of an agent of their territory (failures forgotten at once). An agent of
 * another territory answers as unknown. The address's failures are kept: they are the spraying guard.
 */
export async function unlockAgentLogin(db: Database, throttle: LoginThrottle, agentId: string, call: DeskCall): Promise<void> {
  const entry = { action: 'agent.unlock', subjectKind: 'agent', subjectIds: [agentId] } as const;
  const unlocked = await db.transaction(async (tx) => {
    const [agent] = await tx
      .select({ email: agents.email })
      .from(agents)
      .innerJoin(memberships, eq(memberships.agentId, agents.id))
      .innerJoin(organisations, eq(organisations.id, memberships.organisationId))
      .where(and(eq(agents.id, agentId), eq(organisations.territoryId, call.agent.territoryId)))
      .limit(1);
    if (!agent) return false;
    await throttle.forgetAccount(throttle.accountKeyOf(agent.email), tx);
    await recordAudit(tx, call.agent, { ...entry, subjectIds: [agentId], outcome: 'allowed' }, auditCallOf(call));
    return true;
  });
  if (!unlocked) {
    // An admin reaching for an agent outside the territory: refused like an unknown id, and recorded.
    await recordAudit(db, call.agent, { ...entry, subjectIds: [agentId], outcome: 'denied' }, auditCallOf(call));
    throw agentNotFound();
  }
}
