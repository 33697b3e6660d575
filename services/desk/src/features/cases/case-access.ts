import { cases, type Database, type Executor } from '@parcours/db';
import { EngineError } from '@parcours/engine';
import { eq } from 'drizzle-orm';
import { auditCallOf, type DeskCall } from '../../http/desk-call.ts';
import { actorOf, canReachCase } from '../../policy/access-policy.ts';
import { recordAudit, recordRefusal } from '../audit/audit-writer.ts';

type CaseRow = typeof cases.$inferSelect;
type CaseOrganisations = Pick<CaseRow, 'entryOrganisationId' | 'referentOrganisationId'>;

/**
 * The one guard of a case read or write: the row given (however it was loaded) when the acting
 * organisation reaches its case; else the refusal is audited in the caller's transaction and the
 * answer is null, which every route turns into the same 404 as an unknown id.
 */
export async function reachedOrRefused<R>(
  tx: Executor,
  call: DeskCall,
  found: R | null | undefined,
  caseOf: (found: R) => CaseOrganisations,
  refusal: { action: string; subjectIds: string[] },
): Promise<R | null> {
  if (found && canReachCase(call.agent, caseOf(found))) return found;
  await recordAudit(
    tx,
    call.agent,
    { action: refusal.action, subjectKind: 'case', subjectIds: refusal.subjectIds, outcome: 'denied' },
    auditCallOf(call),
  );
  return null;
}

/** Loads a case the acting organisation reaches (locked for update when asked), or audits the refusal: null. */
export async function reachableCaseOf(
  tx: Executor,
  caseId: string,
  call: DeskCall,
  action: string,
  options: { lock?: boolean } = {},
): Promise<CaseRow | null> {
  const query = tx.select().from(cases).where(eq(cases.id, caseId));
  const [row] = options.lock ? await query.for('update') : await query;
  return reachedOrRefused(tx, call, row, (found) => found, { action, subjectIds: [caseId] });
}

/**
 * The same decision, for the engine to apply to the row it locked in its own transaction (`authorizeCase`),
 * and for use cases that refuse by throwing.
 */
export function caseGuardOf(call: DeskCall): (row: CaseOrganisations) => boolean {
  return (row) => canReachCase(call.agent, row);
}

/**
 * A case the engine found out of reach answers `case_not_found` and rolls its transaction back: the refusal
 * is audited in a transaction of its own, then the error goes on (a 404).
 */
export async function auditEngineRefusal(
  db: Database,
  call: DeskCall,
  action: string,
  caseId: string,
  error: unknown,
): Promise<void> {
  if (error instanceof EngineError && error.code === 'case_not_found') {
    await recordRefusal(db, actorOf(call.agent), { action, subjectKind: 'case', subjectIds: [caseId] }, auditCallOf(call));
  }
}
