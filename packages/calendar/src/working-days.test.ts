import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addWorkingDays,
  calendarDaysBetween,
  isWorkingDay,
  monthOf,
  parisDateOf,
  workingDayRulesOf,
  workingDaysBetween,
} from './working-days.ts';

const alsace = { alsaceMoselle: true };

/** A plain day-by-day count, written here on its own: the working days after `from`'s date up to `to`'s. */
function countDayByDay(fromDate: string, toDate: string, rules = {}): number {
  let count = 0;
  const cursor = new Date(`${fromDate}T00:00:00Z`);
  for (;;) {
    cursor.setUTCDate(cursor.getUTCDate() + 1);
    const day = cursor.toISOString().slice(0, 10);
    if (day > toDate) return count;
    if (isWorkingDay(day, rules)) count += 1;
  }
}

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

  // Written from the official calendar of 2025-2027, not computed: each line a date and what it is.
  it.each([
    ['2026-01-01', false, false, 'jour de l’an (jeudi)'],
    ['2026-01-02', true, true, 'vendredi ordinaire'],
    ['2026-03-07', false, false, 'samedi'],
    ['2026-03-08', false, false, 'dimanche'],
    ['2026-04-03', true, false, 'vendredi saint : férié en Alsace-Moselle seulement'],
    ['2026-04-06', false, false, 'lundi de Pâques'],
    ['2026-05-01', false, false, 'fête du travail (vendredi)'],
    ['2026-05-08', false, false, 'victoire 1945 (vendredi)'],
    ['2026-05-14', false, false, 'Ascension (jeudi)'],
    ['2026-05-15', true, true, 'pont de l’Ascension : travaillé'],
    ['2026-05-25', false, false, 'lundi de Pentecôte'],
    ['2026-07-14', false, false, 'fête nationale (mardi)'],
    ['2026-08-14', true, true, 'veille de l’Assomption (vendredi)'],
    ['2026-08-15', false, false, 'Assomption (samedi)'],
    ['2026-11-02', true, true, 'lundi après la Toussaint (dimanche) : pas de report'],
    ['2026-11-11', false, false, 'armistice (mercredi)'],
    ['2026-12-25', false, false, 'Noël (vendredi)'],
    ['2025-04-18', true, false, 'vendredi saint 2025'],
    ['2025-12-26', true, false, 'saint Étienne 2025 (vendredi) : férié en Alsace-Moselle seulement'],
    ['2027-03-26', true, false, 'vendredi saint 2027'],
    ['2027-03-29', false, false, 'lundi de Pâques 2027'],
  ] as const)('%s is a working day: %s (national), %s (Alsace-Moselle) — %s', (date, national, alsaceMoselle, _why) => {
    expect(isWorkingDay(date)).toBe(national);
    expect(isWorkingDay(date, alsace)).toBe(alsaceMoselle);
  });

  it.each([
    // from (Paris wall clock, written with its UTC offset), working days, expected in Paris, why
    ['2026-05-13T10:00:00+02:00', 1, '2026-05-15T10:00:00+02:00', 'l’Ascension (jeudi 14) est sautée'],
    ['2026-03-27T09:00:00+01:00', 2, '2026-03-31T09:00:00+02:00', 'passage à l’heure d’été le 29 mars : même heure à Paris'],
    ['2026-10-23T09:00:00+02:00', 2, '2026-10-27T09:00:00+01:00', 'retour à l’heure d’hiver le 25 octobre : même heure à Paris'],
    ['2026-12-24T09:00:00+01:00', 1, '2026-12-28T09:00:00+01:00', 'Noël (vendredi) puis le week-end'],
    ['2026-12-31T09:00:00+01:00', 1, '2027-01-04T09:00:00+01:00', 'le 1er janvier 2027 est un vendredi'],
    ['2026-04-30T17:30:00+02:00', 5, '2026-05-11T17:30:00+02:00', '1er et 8 mai (vendredis) sautés'],
    ['2026-03-29T01:30:00+01:00', 1, '2026-03-30T01:30:00+02:00', 'un dimanche de changement d’heure, avant le saut'],
    ['2026-06-01T08:00:00+02:00', 0, '2026-06-01T08:00:00+02:00', 'zéro jour : l’instant lui-même'],
  ] as const)('%s + %i working days = %s (%s)', (from, days, expected, _why) => {
    expect(addWorkingDays(new Date(from), days).toISOString()).toBe(new Date(expected).toISOString());
  });

  it('when the territory keeps Alsace-Moselle’s holidays, then Good Friday and 26 December are skipped too', () => {
    const thursday = new Date('2026-04-02T14:00:00+02:00');
    expect(addWorkingDays(thursday, 1).toISOString()).toBe(new Date('2026-04-03T14:00:00+02:00').toISOString());
    expect(addWorkingDays(thursday, 1, alsace).toISOString()).toBe(new Date('2026-04-07T14:00:00+02:00').toISOString());
    const christmasEve = new Date('2025-12-24T09:00:00+01:00');
    expect(addWorkingDays(christmasEve, 1).toISOString()).toBe(new Date('2025-12-26T09:00:00+01:00').toISOString());
    expect(addWorkingDays(christmasEve, 1, alsace).toISOString()).toBe(new Date('2025-12-29T09:00:00+01:00').toISOString());
    expect(workingDaysBetween(new Date('2025-12-24T09:00:00+01:00'), new Date('2025-12-31T09:00:00+01:00'))).toBe(4);
    expect(workingDaysBetween(new Date('2025-12-24T09:00:00+01:00'), new Date('2025-12-31T09:00:00+01:00'), alsace)).toBe(3);
    // From the territory's settings; anything but `true` is the national calendar.
    expect(workingDayRulesOf({ calendar: { alsaceMoselle: true } })).toEqual(alsace);
    expect(workingDayRulesOf({ calendar: { alsaceMoselle: 'oui' } })).toEqual({});
    expect(workingDayRulesOf(null)).toEqual({});
  });

  it('when working days are counted across years, then the count equals a plain day-by-day count (both calendars)', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2024-01-01T00:00:00Z'), max: new Date('2028-12-31T00:00:00Z'), noInvalidDate: true }),
        fc.date({ min: new Date('2024-01-01T00:00:00Z'), max: new Date('2028-12-31T00:00:00Z'), noInvalidDate: true }),
        fc.boolean(),
        (a, b, inAlsace) => {
          const [from, to] = a <= b ? [a, b] : [b, a];
          const rules = inAlsace ? alsace : {};
          expect(workingDaysBetween(from, to, rules)).toBe(countDayByDay(parisDateOf(from), parisDateOf(to), rules));
        },
      ),
    );
  });

  it('when n working days are added, then the result keeps the Paris time, falls on a working day, n days later by a plain count', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2024-01-01T00:00:00Z'), max: new Date('2028-12-31T00:00:00Z'), noInvalidDate: true }),
        fc.integer({ min: 1, max: 60 }),
        fc.boolean(),
        (from, n, inAlsace) => {
          const rules = inAlsace ? alsace : {};
          const due = addWorkingDays(from, n, rules);
          expect(isWorkingDay(parisDateOf(due), rules)).toBe(true);
          expect(countDayByDay(parisDateOf(from), parisDateOf(due), rules)).toBe(n);
          const clock = (instant: Date) => instant.toLocaleTimeString('fr-FR', { timeZone: 'Europe/Paris' });
          // The same wall-clock time, unless it does not exist on that day (the hour skipped in March).
          if (clock(due) !== clock(from)) expect(parisDateOf(due)).toMatch(/-03-(2[5-9]|3[01])$/);
        },
      ),
    );
  });
});
