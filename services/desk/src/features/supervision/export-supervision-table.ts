import { type Database, withActor } from '@parcours/db';
import { stringify } from 'csv-stringify/sync';
import { AppError } from '../../http/app-error.ts';
import { auditCallOf, type DeskCall } from '../../http/desk-call.ts';
import { actorOf, supervisionScopeOf } from '../../policy/access-policy.ts';
import { recordAudit } from '../audit/audit-writer.ts';
import type { FigureCell, SupervisionQuery, SupervisionReportName } from './supervision.schemas.ts';
import { buildReport, reportContextOf } from './supervision-reports.ts';

/**
 * One table of a report as CSV (semicolon-separated, UTF-8 with BOM, as French spreadsheets open it): the
 * very table the page shows, so the same cells are hidden (« < k »).
 */
export async function exportSupervisionTable(
  db: Database,
  target: { report: SupervisionReportName; tableId: string },
  query: SupervisionQuery,
  call: DeskCall,
): Promise<{ filename: string; csv: string }> {
  const scope = supervisionScopeOf(call.agent);
  return withActor(db, actorOf(call.agent), async (tx) => {
    const context = await reportContextOf(tx, scope, query, call.agent.organisationId, call.clock.now());
    const built = await buildReport(context, target.report);
    const table = built.tables.find((candidate) => candidate.id === target.tableId);
    if (!table) throw new AppError('not_found', 'Ce tableau n’existe pas dans ce rapport.');
    const hidden = `< ${built.minimumCellCount}`;
    // A hidden count reads « < k »; a delay or a share hidden with its count reads « masqué », as on the page.
    const text = (cell: FigureCell | undefined, unit: string | undefined) => {
      if (!cell || (cell.value === null && !cell.hidden)) return '';
      if (cell.hidden) return unit === 'count' ? hidden : 'masqué';
      return String(cell.value).replace('.', ',');
    };
    const records = [
      ['', ...table.columns.map((column) => column.label)],
      ...[...table.rows, ...(table.total ? [table.total] : [])].map((row) => [
        row.label,
        ...row.cells.map((cell, c) => text(cell, table.columns[c]?.unit)),
      ]),
    ];
    await recordAudit(
      tx,
      call.agent,
      {
        action: `supervision.${target.report}.export`,
        subjectKind: 'supervision',
        subjectIds: [scope.territoryId],
        outcome: 'allowed',
      },
      auditCallOf(call),
    );
    return {
      filename: `parcours-${target.report}-${table.id}-${built.from}-${built.to}.csv`,
      csv: `\uFEFF${stringify(records, { delimiter: ';' })}`,
    };
  });
}
