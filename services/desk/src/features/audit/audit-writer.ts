import { type Actor, auditEvents, auditRowDigestOf, type Database, type Executor, withActor } from '@parcours/db';
import type { ActingAgent } from '../../policy/access-policy.ts';

export type AuditOutcome = 'allowed' | 'denied';

export interface AuditEntry {
  action: string;
  subjectKind:
    | 'case'
    | 'person'
    | 'route'
    | 'directory'
    | 'contact'
    | 'consent'
    | 'referral'
    | 'partner_link'
    | 'audit'
    | 'supervision'
    | 'agent'
    | 'job'
    | 'mail';
  /** Ids only: never a name or free text. */
  subjectIds: string[];
  outcome: AuditOutcome;
}

/**
 * Appends one audit row in the caller's transaction, so the row exists if and only if the read it
 * records happened (or was refused).
 */
export async function recordAudit(
  tx: Executor,
  agent: Pick<ActingAgent, 'agentId' | 'organisationId'>,
  entry: AuditEntry,
  call: { requestId: string; at: Date },
): Promise<void> {
  await recordActorAudit(tx, { kind: 'agent', id: agent.agentId, organisationId: agent.organisationId }, entry, call);
}

/**
 * The same, for any actor (an agent, or a partner through a signed link), with the purpose and the consent
 * that allowed a disclosure: "who saw my file, why, on which authorisation" can then be answered. The row
 * carries its keyed digest (`auditRowDigestOf`), computed here from the same values.
 */
export async function recordActorAudit(
  tx: Executor,
  actor: Actor,
  entry: AuditEntry & { purpose?: string | null; consentId?: string | null },
  call: { requestId: string; at: Date },
): Promise<void> {
  const row = {
    at: call.at,
    actorKind: actor.kind,
    actorId: actor.id,
    organisationId: actor.organisationId,
    action: entry.action,
    subjectKind: entry.subjectKind,
    subjectIds: entry.subjectIds,
    purpose: entry.purpose ?? null,
    consentId: entry.consentId ?? null,
    outcome: entry.outcome,
    requestId: call.requestId,
  };
  await tx.insert(auditEvents).values({ ...row, rowDigest: auditRowDigestOf(row) });
}

/**
 * Records a refusal in a transaction of its own, for refusals decided inside a transaction that the refusal
 * then rolls back: an audit row written there would be rolled back with it.
 */
export async function recordRefusal(
  db: Database,
  actor: Actor,
  entry: Omit<AuditEntry, 'outcome'>,
  call: { requestId: string; at: Date },
): Promise<void> {
  await withActor(db, actor, (tx) => recordActorAudit(tx, actor, { ...entry, outcome: 'denied' }, call));
}
