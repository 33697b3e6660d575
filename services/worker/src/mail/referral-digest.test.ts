import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { closedDigestWindows, digestSettleMs } from './referral-digest.ts';

const iso = (windows: { from: Date; to: Date }[]) => windows.map(({ from, to }) => [from.toISOString(), to.toISOString()]);

describe('the partners’ digest windows', () => {
  it('when it is 13:05 in Paris, then the last window closed is 08:00 → 13:00 Paris, after the night one', () => {
    expect(iso(closedDigestWindows(new Date('2026-03-03T12:05:00Z'), 2))).toEqual([
      ['2026-03-02T12:00:00.000Z', '2026-03-03T07:00:00.000Z'],
      ['2026-03-03T07:00:00.000Z', '2026-03-03T12:00:00.000Z'],
    ]);
  });

  it('when a window closed less than a minute ago, then it waits (a transaction stamped before may still commit)', () => {
    expect(iso(closedDigestWindows(new Date('2026-03-03T12:00:30Z'), 1))).toEqual([
      ['2026-03-02T12:00:00.000Z', '2026-03-03T07:00:00.000Z'],
    ]);
  });

  it('when the clocks change (29 March, 25 October 2026), then 08:00 and 13:00 stay Paris wall-clock times', () => {
    // Summer time from 29 March: 08:00 Paris is 06:00 UTC.
    expect(iso(closedDigestWindows(new Date('2026-03-30T11:30:00Z'), 2))).toEqual([
      ['2026-03-29T11:00:00.000Z', '2026-03-30T06:00:00.000Z'],
      ['2026-03-30T06:00:00.000Z', '2026-03-30T11:00:00.000Z'],
    ]);
    expect(iso(closedDigestWindows(new Date('2026-10-26T07:30:00Z'), 1))).toEqual([
      ['2026-10-25T12:00:00.000Z', '2026-10-26T07:00:00.000Z'],
    ]);
  });

  it('whatever the instant, the windows are contiguous, closed and settled, and the last one ends at most half a day ago', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2025-01-01T00:00:00Z'), max: new Date('2028-12-31T00:00:00Z'), noInvalidDate: true }),
        (now) => {
          const windows = closedDigestWindows(now);
          expect(windows).toHaveLength(4);
          for (const [index, window] of windows.entries()) {
            expect(window.from.getTime()).toBeLessThan(window.to.getTime());
            if (index > 0) expect(window.from).toEqual(windows[index - 1]?.to);
          }
          const last = windows[windows.length - 1] as { to: Date };
          expect(last.to.getTime() + digestSettleMs).toBeLessThanOrEqual(now.getTime());
          // The longest gap between two boundaries is 19 h (13:00 → 08:00), 20 h across a clock change.
          expect(now.getTime() - last.to.getTime()).toBeLessThanOrEqual(20 * 3600_000 + digestSettleMs);
        },
      ),
      { numRuns: 300 },
    );
  });
});
