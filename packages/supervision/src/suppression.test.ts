import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { suppressTable } from './suppression.ts';

const k = 5;

describe('small-cell suppression', () => {
  it('when one partner counts 2 among others, then it is hidden and so is the next smallest, so the total does not reveal it', () => {
    const table = suppressTable({ counts: [[2], [7], [40]] }, k);
    expect(table.cells).toEqual([[null], [null], [40]]);
    expect(table.grandTotal).toBe(49);
  });

  it('when the whole table counts fewer than k, then everything non-zero is hidden', () => {
    const table = suppressTable(
      {
        counts: [
          [1, 0],
          [2, 0],
        ],
      },
      k,
    );
    expect(table.grandTotal).toBeNull();
    expect(table.cells).toEqual([
      [null, 0],
      [null, 0],
    ]);
  });

  it('when a zero sits beside a hidden count, then the zero stays shown and a non-zero count is hidden instead', () => {
    const table = suppressTable({ counts: [[3, 0, 12]] }, k);
    expect(table.cells[0]).toEqual([null, 0, null]);
  });

  it('for any table, no line whose total is shown lets its hidden counts add up to 1 … k − 1, and no count 1 … k − 1 is shown', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }).chain((columns) =>
          fc.array(
            fc.array(fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 60 })), {
              minLength: columns,
              maxLength: columns,
            }),
            { minLength: 1, maxLength: 8 },
          ),
        ),
        (counts) => {
          const table = suppressTable({ counts }, k);
          const rowTotals = counts.map((row) => row.reduce((a, b) => a + b, 0));
          const columnTotals = counts[0]?.map((_, c) => counts.reduce((sum, row) => sum + (row[c] ?? 0), 0)) ?? [];
          const grand = rowTotals.reduce((a, b) => a + b, 0);
          const shownValues = [...table.cells.flat(), ...table.rowTotals, ...table.columnTotals, table.grandTotal].filter(
            (value): value is number => value !== null,
          );
          for (const value of shownValues) expect(value === 0 || value >= k).toBe(true);
          const lines: { parts: number[]; shown: (number | null)[]; total: number | null }[] = [
            ...counts.map((row, r) => ({ parts: row, shown: table.cells[r] ?? [], total: table.rowTotals[r] ?? null })),
            ...columnTotals.map((_, c) => ({
              parts: counts.map((row) => row[c] ?? 0),
              shown: table.cells.map((row) => row[c] ?? null),
              total: table.columnTotals[c] ?? null,
            })),
            { parts: columnTotals, shown: table.columnTotals, total: table.grandTotal },
            { parts: rowTotals, shown: table.rowTotals, total: table.grandTotal },
          ];
          for (const line of lines) {
            if (line.total === null) continue;
            const hiddenSum = line.parts.reduce((sum, part, i) => sum + (line.shown[i] === null ? part : 0), 0);
            expect(hiddenSum === 0 || hiddenSum >= k).toBe(true);
          }
          expect(table.grandTotal === null || table.grandTotal === grand).toBe(true);
        },
      ),
      { numRuns: 500 },
    );
  });
});
