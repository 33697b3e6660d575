/// <reference path="./jours-feries.d.ts" />
// So that packages type-checking the calendar through its sources see the declaration too.
import joursFeries from '@socialgouv/jours-feries';

/** Deadlines are counted in the time zone of the institutions, whatever the server's. */
export const territoryTimeZone = 'Europe/Paris';

/**
 * Which public holidays a territory keeps: the national ones, and in Alsace-Moselle (Bas-Rhin, Haut-Rhin,
 * Moselle) Good Friday and 26 December too, where the territory's settings say so
 * (`{ "calendar": { "alsaceMoselle": true } }`).
 */
export interface WorkingDayRules {
  alsaceMoselle?: boolean;
}

/** The rules of a territory, from its settings; anything else reads as the national calendar. */
export function workingDayRulesOf(settings: unknown): WorkingDayRules {
  const calendar = (settings as { calendar?: { alsaceMoselle?: unknown } } | null)?.calendar;
  return calendar?.alsaceMoselle === true ? { alsaceMoselle: true } : {};
}

const holidaysByYear = new Map<string, Set<string>>();

function holidaysOf(year: number, rules: WorkingDayRules): Set<string> {
  const key = `${year}:${rules.alsaceMoselle === true}`;
  let holidays = holidaysByYear.get(key);
  if (!holidays) {
    holidays = new Set(
      Object.values(joursFeries(year, { alsace: rules.alsaceMoselle === true })).map((date) => date.toISOString().slice(0, 10)),
    );
    holidaysByYear.set(key, holidays);
  }
  return holidays;
}

const wallClockFormat = new Intl.DateTimeFormat('en-CA', {
  timeZone: territoryTimeZone,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function wallClockOf(instant: Date): WallClock {
  const parts = Object.fromEntries(wallClockFormat.formatToParts(instant).map((part) => [part.type, part.value]));
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
  };
}

/** The instant showing this wall clock in Paris (two passes settle the UTC offset across DST). */
function instantOf(wall: WallClock, milliseconds: number): Date {
  const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second, milliseconds);
  let guess = asUtc;
  for (let pass = 0; pass < 2; pass += 1) {
    const shown = wallClockOf(new Date(guess));
    const shownAsUtc = Date.UTC(shown.year, shown.month - 1, shown.day, shown.hour, shown.minute, shown.second, milliseconds);
    guess += asUtc - shownAsUtc;
  }
  return new Date(guess);
}

export function isWorkingDay(isoDate: string, rules: WorkingDayRules = {}): boolean {
  const date = new Date(`${isoDate}T00:00:00Z`);
  const weekday = date.getUTCDay();
  return weekday !== 0 && weekday !== 6 && !holidaysOf(date.getUTCFullYear(), rules).has(isoDate);
}

/**
 * `from` plus `workingDays` working days (Monday to Friday, French public holidays excluded), at the same
 * Paris wall-clock time. Zero working days is `from` itself.
 */
export function addWorkingDays(from: Date, workingDays: number, rules: WorkingDayRules = {}): Date {
  if (!Number.isInteger(workingDays) || workingDays < 0)
    throw new RangeError(`workingDays must be a whole number ≥ 0, got ${workingDays}`);
  const wall = wallClockOf(from);
  const cursor = new Date(Date.UTC(wall.year, wall.month - 1, wall.day));
  let remaining = workingDays;
  while (remaining > 0) {
    cursor.setUTCDate(cursor.getUTCDate() + 1);
    if (isWorkingDay(cursor.toISOString().slice(0, 10), rules)) remaining -= 1;
  }
  return instantOf(
    { ...wall, year: cursor.getUTCFullYear(), month: cursor.getUTCMonth() + 1, day: cursor.getUTCDate() },
    from.getUTCMilliseconds(),
  );
}

/** The Paris calendar date (`YYYY-MM-DD`) of an instant. */
export function parisDateOf(instant: Date): string {
  const wall = wallClockOf(instant);
  return `${wall.year}-${String(wall.month).padStart(2, '0')}-${String(wall.day).padStart(2, '0')}`;
}

/** The instant when the Paris wall clock shows `hour:minute` on the Paris date `isoDate` (`YYYY-MM-DD`). */
export function parisInstantAt(isoDate: string, hour: number, minute = 0): Date {
  const [year, month, day] = isoDate.split('-').map(Number) as [number, number, number];
  return instantOf({ year, month, day, hour, minute, second: 0 }, 0);
}

/** The first day of the Paris month of an instant, `YYYY-MM-01`: the bucket of monthly figures. */
export function monthOf(instant: Date): string {
  return `${parisDateOf(instant).slice(0, 8)}01`;
}

const dayMs = 24 * 60 * 60 * 1000;
const dayNumberOf = (isoDate: string) => Math.round(Date.parse(`${isoDate}T00:00:00Z`) / dayMs);

/** Calendar days from one instant's Paris date to another's (0 on the same day; negative if `to` is earlier). */
export function calendarDaysBetween(from: Date, to: Date): number {
  return dayNumberOf(parisDateOf(to)) - dayNumberOf(parisDateOf(from));
}

// Working days counted from 1 January of the year up to and including each day of that year.
const workingDaysToDateByYear = new Map<string, Int16Array>();

function workingDaysThrough(isoDate: string, rules: WorkingDayRules): number {
  const year = Number(isoDate.slice(0, 4));
  const key = `${year}:${rules.alsaceMoselle === true}`;
  let cumulative = workingDaysToDateByYear.get(key);
  if (!cumulative) {
    const first = dayNumberOf(`${year}-01-01`);
    const length = dayNumberOf(`${year + 1}-01-01`) - first;
    cumulative = new Int16Array(length);
    let count = 0;
    for (let index = 0; index < length; index += 1) {
      if (isWorkingDay(new Date((first + index) * dayMs).toISOString().slice(0, 10), rules)) count += 1;
      cumulative[index] = count;
    }
    workingDaysToDateByYear.set(key, cumulative);
  }
  return cumulative[dayNumberOf(isoDate) - dayNumberOf(`${year}-01-01`)] ?? 0;
}

function workingDaysBeforeYear(year: number, sinceYear: number, rules: WorkingDayRules): number {
  let total = 0;
  for (let current = sinceYear; current < year; current += 1) {
    total += workingDaysThrough(`${current}-12-31`, rules);
  }
  return total;
}

/**
 * Working days from one instant's Paris date to another's: the working days after `from`'s day up to and
 * including `to`'s (so `workingDaysBetween(x, addWorkingDays(x, n)) === n`); 0 on the same day, negative
 * when `to` is earlier.
 */
export function workingDaysBetween(from: Date, to: Date, rules: WorkingDayRules = {}): number {
  const fromDate = parisDateOf(from);
  const toDate = parisDateOf(to);
  if (toDate < fromDate) return -workingDaysBetween(to, from, rules);
  const fromYear = Number(fromDate.slice(0, 4));
  const toYear = Number(toDate.slice(0, 4));
  return workingDaysBeforeYear(toYear, fromYear, rules) + workingDaysThrough(toDate, rules) - workingDaysThrough(fromDate, rules);
}
