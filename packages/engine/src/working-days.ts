/// <reference path="./jours-feries.d.ts" />
// So that services type-checking the engine through its sources see the declaration too.
import joursFeries from '@socialgouv/jours-feries';

/** Deadlines are counted in the time zone of the institutions, whatever the server's. */
export const territoryTimeZone = 'Europe/Paris';

const holidaysByYear = new Map<number, Set<string>>();

function holidaysOf(year: number): Set<string> {
  let holidays = holidaysByYear.get(year);
  if (!holidays) {
    holidays = new Set(Object.values(joursFeries(year)).map((date) => date.toISOString().slice(0, 10)));
    holidaysByYear.set(year, holidays);
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

export function isWorkingDay(isoDate: string): boolean {
  const date = new Date(`${isoDate}T00:00:00Z`);
  const weekday = date.getUTCDay();
  return weekday !== 0 && weekday !== 6 && !holidaysOf(date.getUTCFullYear()).has(isoDate);
}

/**
 * `from` plus `workingDays` working days (Monday to Friday, French public holidays excluded), at the same
 * Paris wall-clock time. Zero working days is `from` itself.
 */
export function addWorkingDays(from: Date, workingDays: number): Date {
  if (!Number.isInteger(workingDays) || workingDays < 0)
    throw new RangeError(`workingDays must be a whole number ≥ 0, got ${workingDays}`);
  const wall = wallClockOf(from);
  const cursor = new Date(Date.UTC(wall.year, wall.month - 1, wall.day));
  let remaining = workingDays;
  while (remaining > 0) {
    cursor.setUTCDate(cursor.getUTCDate() + 1);
    if (isWorkingDay(cursor.toISOString().slice(0, 10))) remaining -= 1;
  }
  return instantOf(
    { ...wall, year: cursor.getUTCFullYear(), month: cursor.getUTCMonth() + 1, day: cursor.getUTCDate() },
    from.getUTCMilliseconds(),
  );
}
