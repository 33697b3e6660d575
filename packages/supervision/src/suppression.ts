/**
 * Small-cell suppression: no figure shown anywhere (page, API, export) lets anyone count fewer than k
 * people. A table of counts with its row, column and grand totals is suppressed as a whole:
 *
 * 1. primary: every count (totals included) from 1 to k − 1 is hidden (0 is shown: it reveals nobody);
 * 2. secondary: in every line (a row with its total, a column with its total, the totals row with the grand
 *    total), while the total is shown and the hidden counts of the line add up to 1 … k − 1 (which the total
 *    minus the shown counts would reveal), the smallest shown non-zero count of the line is hidden too, or
 *    the total when there is none left; repeated until nothing changes.
 *
 * Hiding only grows, so it ends. Differences between two separate queries (two periods) are not covered:
 * each answer is safe on its own.
 */

export interface CountTable {
  /** counts[row][column] */
  counts: readonly (readonly number[])[];
}

export interface SuppressedTable {
  /** null where hidden */
  cells: (number | null)[][];
  rowTotals: (number | null)[];
  columnTotals: (number | null)[];
  grandTotal: number | null;
}

interface Slot {
  value: number;
  hidden: boolean;
}

export function suppressTable(table: CountTable, minimumCount: number): SuppressedTable {
  const rows = table.counts.length;
  const columns = rows === 0 ? 0 : Math.max(...table.counts.map((row) => row.length));
  const slotOf = (value: number): Slot => ({ value, hidden: value > 0 && value < minimumCount });
  const cells: Slot[][] = table.counts.map((row) => Array.from({ length: columns }, (_, c) => slotOf(row[c] ?? 0)));
  const rowTotals = cells.map((row) => slotOf(row.reduce((sum, cell) => sum + cell.value, 0)));
  const columnTotals = Array.from({ length: columns }, (_, c) =>
    slotOf(cells.reduce((sum, row) => sum + (row[c]?.value ?? 0), 0)),
  );
  const grandTotal = slotOf(rowTotals.reduce((sum, total) => sum + total.value, 0));

  const lines: { parts: Slot[]; total: Slot }[] = [
    ...cells.map((row, r) => ({ parts: row, total: rowTotals[r] as Slot })),
    ...columnTotals.map((total, c) => ({ parts: cells.map((row) => row[c] as Slot), total })),
    { parts: columnTotals, total: grandTotal },
    { parts: rowTotals, total: grandTotal },
  ];

  let changed = true;
  while (changed) {
    changed = false;
    for (const line of lines) {
      if (line.total.hidden || line.parts.length === 0) continue;
      const hiddenSum = line.parts.reduce((sum, part) => sum + (part.hidden ? part.value : 0), 0);
      if (hiddenSum === 0 || hiddenSum >= minimumCount) continue;
      const candidate = line.parts.filter((part) => !part.hidden && part.value > 0).sort((a, b) => a.value - b.value)[0];
      (candidate ?? line.total).hidden = true;
      changed = true;
    }
  }

  const shown = (slot: Slot) => (slot.hidden ? null : slot.value);
  return {
    cells: cells.map((row) => row.map(shown)),
    rowTotals: rowTotals.map(shown),
    columnTotals: columnTotals.map(shown),
    grandTotal: shown(grandTotal),
  };
}

/** How a hidden count reads, everywhere: « < 5 ». */
export function hiddenCountLabel(minimumCount: number): string {
  return `< ${minimumCount}`;
}
