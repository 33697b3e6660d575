import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addWorkingDays, calendarDaysBetween, monthOf, parisDateOf, workingDaysBetween } from './working-days.ts';

describe('the territory calendar', () => {
  it('when an instant is late on 31 March UTC, then its Paris date and month are the next day’s', () => {
    const instant = new Date('2026-03-31T22:30:00Z'); // 00:30 on 1 April in Paris (summer time)
    expect(parisDateOf(instant)).toBe('2026-04-01');
    expect(monthOf(instant)).toBe('2026-04-01');
  });

  it('when a span crosses Easter Monday and a weekend, then they are not working days', () => {
    // Thursday 2 April 2026 → Tuesday 7 April 2026: Fri 3 and Tue 7 count; Sat, Sun, Easter Monday 6 do not.
    const from = new Date('2026-04-02T09:00:00+02:00');
    const to = new Date('2026-04-07T09:00:00+02:00');
    expect(workingDaysBetween(from, to)).toBe(2);
    expect(calendarDaysBetween(from, to)).toBe(5);
    expect(workingDaysBetween(to, from)).toBe(-2);
  });

  it('when a span crosses new year, then both years are counted', () => {
    const from = new Date('2025-12-30T10:00:00+01:00');
    const to = new Date('2026-01-05T10:00:00+01:00');
    // 31 Dec (Wed), 2 Jan (Fri), 5 Jan (Mon); 1 Jan is a holiday.
    expect(workingDaysBetween(from, to)).toBe(3);
  });

  it('when n working days are added, then n working days lie between (any instant, any n, around DST)', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2024-01-01T00:00:00Z'), max: new Date('2028-12-31T00:00:00Z'), noInvalidDate: true }),
        fc.integer({ min: 0, max: 400 }),
        (from, n) => workingDaysBetween(from, addWorkingDays(from, n)) === n,
      ),
    );
  });
});
