import { type Database, withActor } from '@parcours/db';
import { auditCallOf, type DeskCall } from '../../http/desk-call.ts';
import { actorOf, supervisionScopeOf } from '../../policy/access-policy.ts';
import { recordAudit } from '../audit/audit-writer.ts';
import type { SupervisionQuery, SupervisionReport, SupervisionReportName } from './supervision.schemas.ts';
import { buildReport, reportContextOf } from './supervision-reports.ts';

/**
 * One supervision report (delays, breaches, non-take-up, activity) for the caller's scope: the territory
 * for a supervisor, the caller's own organisation's part for anyone else. Aggregates only, suppressed
 * below the territory's k; the read is audited like any other.
 */
export async function getSupervisionReport(
  db: Database,
  report: SupervisionReportName,
  query: SupervisionQuery,
  call: DeskCall,
): Promise<SupervisionReport> {
  const scope = supervisionScopeOf(call.agent);
  return withActor(db, actorOf(call.agent), async (tx) => {
    const context = await reportContextOf(tx, scope, query, call.agent.organisationId, call.clock.now());
    const built = await buildReport(context, report);
    await recordAudit(
      tx,
      call.agent,
      { action: `supervision.${report}`, subjectKind: 'supervision', subjectIds: [scope.territoryId], outcome: 'allowed' },
      auditCallOf(call),
    );
    return { report, territoryId: scope.territoryId, organisationId: scope.organisationId, ...built };
  });
}
