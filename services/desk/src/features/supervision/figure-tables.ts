import { addHistogram, type DayHistogram, delayStatisticsOf, suppressTable } from '@parcours/supervision';
import type { FigureCell, FigureRow, FigureTable, figureUnits } from './supervision.schemas.ts';

/**
 * Builds the report tables, with small-cell suppression applied once here: pages, the API and the CSV
 * exports all render these tables, so none of them can show what another hides.
 */

const shown = (value: number): FigureCell => ({ value, hidden: false });
const hiddenCell: FigureCell = { value: null, hidden: true };
const notApplicable: FigureCell = { value: null, hidden: false };
const cellOf = (value: number | null): FigureCell => (value === null ? hiddenCell : shown(value));

/** A share in percent (one decimal), shown only when neither its part nor the rest counts 1 … k − 1 people. */
function shareCell(part: number, whole: number, k: number): FigureCell {
  if (whole === 0) return notApplicable;
  const rest = whole - part;
  if ((part > 0 && part < k) || (rest > 0 && rest < k)) return hiddenCell;
  return shown(Math.round((1000 * part) / whole) / 10);
}

export interface CountRowInput {
  key: string;
  label: string;
  counts: number[];
}

export interface CountTableInput {
  id: string;
  title: string;
  help: string;
  columns: { key: string; label: string }[];
  rows: CountRowInput[];
  k: number;
  /** Show a total row (and check totals): false when columns do not add up (never the case for counts here). */
  totalLabel?: string;
  /** Shares appended after the counts: part = a column, whole = another column or the row's total. */
  shares?: { key: string; label: string; part: string; whole: string | 'total' }[];
  chartColumn?: string | null;
}

/** A table of counts (disjoint columns adding up to the row), suppressed as a whole. */
export function countTable(input: CountTableInput): FigureTable {
  const suppressed = suppressTable({ counts: input.rows.map((row) => row.counts) }, input.k);
  const columnIndex = (key: string) => input.columns.findIndex((column) => column.key === key);
  const sharesOf = (counts: readonly number[], total: number): FigureCell[] =>
    (input.shares ?? []).map((share) => {
      const part = counts[columnIndex(share.part)] ?? 0;
      const whole = share.whole === 'total' ? total : (counts[columnIndex(share.whole)] ?? 0);
      return shareCell(part, whole, input.k);
    });
  const withTotal = input.columns.length > 1;
  const rows: FigureRow[] = input.rows.map((row, r) => {
    const total = row.counts.reduce((sum, count) => sum + count, 0);
    return {
      key: row.key,
      label: row.label,
      cells: [
        ...(suppressed.cells[r] ?? []).map(cellOf),
        ...(withTotal ? [cellOf(suppressed.rowTotals[r] ?? null)] : []),
        ...sharesOf(row.counts, total),
      ],
    };
  });
  const columnTotals = input.columns.map((_, c) => input.rows.reduce((sum, row) => sum + (row.counts[c] ?? 0), 0));
  const grand = columnTotals.reduce((sum, count) => sum + count, 0);
  return {
    id: input.id,
    title: input.title,
    help: input.help,
    columns: [
      ...input.columns.map((column) => ({ ...column, unit: 'count' as (typeof figureUnits)[number] })),
      ...(withTotal ? [{ key: 'total', label: 'Total', unit: 'count' as const }] : []),
      ...(input.shares ?? []).map((share) => ({ key: share.key, label: share.label, unit: 'percent' as const })),
    ],
    rows,
    total:
      input.rows.length === 0
        ? null
        : {
            key: 'total',
            label: input.totalLabel ?? 'Ensemble',
            cells: [
              ...suppressed.columnTotals.map(cellOf),
              ...(withTotal ? [cellOf(suppressed.grandTotal)] : []),
              ...sharesOf(columnTotals, grand),
            ],
          },
    chartColumn: input.chartColumn === undefined ? (input.columns[0]?.key ?? null) : input.chartColumn,
  };
}

export interface DelayRowInput {
  key: string;
  label: string;
  calendar: DayHistogram;
  working: DayHistogram;
}

/**
 * A table of delays, one row per group: how many measures, the median and 90th percentile in calendar and
 * working days, and the share within the target. A row whose count is hidden shows nothing else.
 */
export function delayTable(input: {
  id: string;
  title: string;
  help: string;
  rows: DelayRowInput[];
  targetDays: number | null;
  k: number;
  totalLabel?: string;
  /** False when rows measure different things (the stages): their sum means nothing. */
  withTotal?: boolean;
}): FigureTable {
  const countOf = (histogram: DayHistogram) => [...histogram.values()].reduce((sum, n) => sum + n, 0);
  const suppressed = suppressTable({ counts: input.rows.map((row) => [countOf(row.calendar)]) }, input.k);
  const cellsOf = (row: DelayRowInput, count: number | null): FigureCell[] => {
    if (count === null)
      return [hiddenCell, hiddenCell, hiddenCell, hiddenCell, hiddenCell, ...(input.targetDays === null ? [] : [hiddenCell])];
    if (count === 0)
      return [
        shown(0),
        notApplicable,
        notApplicable,
        notApplicable,
        notApplicable,
        ...(input.targetDays === null ? [] : [notApplicable]),
      ];
    const calendar = delayStatisticsOf(row.calendar, input.targetDays);
    const working = delayStatisticsOf(row.working, null);
    return [
      shown(count),
      cellOf(calendar.median),
      cellOf(calendar.p90),
      cellOf(working.median),
      cellOf(working.p90),
      ...(input.targetDays === null ? [] : [shareCell(calendar.withinTarget ?? 0, count, input.k)]),
    ];
  };
  const totalRow: DelayRowInput = {
    key: 'total',
    label: input.totalLabel ?? 'Ensemble',
    calendar: input.rows.reduce((sum, row) => addHistogram(sum, row.calendar), new Map<number, number>()),
    working: input.rows.reduce((sum, row) => addHistogram(sum, row.working), new Map<number, number>()),
  };
  return {
    id: input.id,
    title: input.title,
    help: input.help,
    columns: [
      { key: 'count', label: 'Mesures', unit: 'count' },
      { key: 'median', label: 'Médiane (jours calendaires)', unit: 'days' },
      { key: 'p90', label: '9e décile (jours calendaires)', unit: 'days' },
      { key: 'medianWorking', label: 'Médiane (jours ouvrés)', unit: 'days' },
      { key: 'p90Working', label: '9e décile (jours ouvrés)', unit: 'days' },
      ...(input.targetDays === null
        ? []
        : [{ key: 'withinTarget', label: `Dans la cible de ${input.targetDays} jours (%)`, unit: 'percent' as const }]),
    ],
    rows: input.rows.map((row, r) => ({ key: row.key, label: row.label, cells: cellsOf(row, suppressed.cells[r]?.[0] ?? null) })),
    total:
      input.rows.length > 1 && input.withTotal !== false
        ? { key: 'total', label: totalRow.label, cells: cellsOf(totalRow, suppressed.grandTotal) }
        : null,
    chartColumn: 'median',
  };
}
