import { bundleCodes, receptionChannels } from '@parcours/vocabulary';
import { z } from 'zod';

const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'Un mois comme 2026-03');

/** The filters of every supervision report: a period of months, and optionally one of each dimension. */
export const supervisionQuery = z
  .strictObject({
    /** First month included (`YYYY-MM`); by default eleven months before `to`. */
    from: month.optional(),
    /** Last month included (`YYYY-MM`); by default the current month. */
    to: month.optional(),
    /** Entry organisation (where the case was opened, or the contact received). */
    organisation: z.uuid().optional(),
    /** Receiving partner (referrals, appointments, handovers). */
    partner: z.uuid().optional(),
    bundle: z.enum(bundleCodes).optional(),
    channel: z.enum(receptionChannels).optional(),
  })
  .refine((query) => !query.from || !query.to || query.from <= query.to, {
    message: 'Le mois de fin doit suivre le mois de début',
    path: ['to'],
  });
export type SupervisionQuery = z.infer<typeof supervisionQuery>;

export const supervisionReportNames = ['delays', 'breaches', 'non-take-up', 'activity'] as const;
export type SupervisionReportName = (typeof supervisionReportNames)[number];

export const exportTableParams = z.strictObject({
  report: z.enum(supervisionReportNames),
  tableId: z.string().regex(/^[a-z0-9-]{1,60}$/, 'Un identifiant de tableau'),
});

const figureCell = z.object({
  /** null when hidden (fewer than k people, or what would reveal such a count) or not applicable. */
  value: z.number().nullable(),
  hidden: z.boolean(),
});
export type FigureCell = z.infer<typeof figureCell>;

const figureRow = z.object({ key: z.string(), label: z.string(), cells: z.array(figureCell) });
export type FigureRow = z.infer<typeof figureRow>;

export const figureUnits = ['count', 'days', 'percent'] as const;

export const figureTable = z.object({
  id: z.string(),
  title: z.string(),
  /** How each figure is computed, in the words of the page's help. */
  help: z.string(),
  columns: z.array(z.object({ key: z.string(), label: z.string(), unit: z.enum(figureUnits) })),
  rows: z.array(figureRow),
  total: figureRow.nullable(),
  /** The column a chart of this table shows, if any. */
  chartColumn: z.string().nullable(),
});
export type FigureTable = z.infer<typeof figureTable>;

export const supervisionReport = z.object({
  report: z.enum(supervisionReportNames),
  territoryId: z.string(),
  /** Set when the figures are one organisation's part only (an organisation's own agents). */
  organisationId: z.uuid().nullable(),
  from: month,
  to: month,
  /** Counts below this read « < k » everywhere. */
  minimumCellCount: z.number().int(),
  /** The instant up to which the log has been folded into the figures. */
  foldedAt: z.iso.datetime(),
  tables: z.array(figureTable),
  /** Breaches only: the cases behind them in which the caller's organisation takes part (the drill-down). */
  ownCases: z.array(z.object({ caseId: z.uuid(), kind: z.enum(['reminder', 'escalation', 'stalled']), since: z.iso.datetime() })),
});
export type SupervisionReport = z.infer<typeof supervisionReport>;

/** Where one table of a report is exported as CSV (the API route `exportSupervisionTable`). */
export function exportSupervisionTablePathOf(report: SupervisionReportName, tableId: string): string {
  return `/api/v1/supervision/${report}/tables/${tableId}.csv`;
}
