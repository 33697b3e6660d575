export {
  addWorkingDays,
  calendarDaysBetween,
  isWorkingDay,
  monthOf,
  parisDateOf,
  parisInstantAt,
  territoryTimeZone,
  workingDaysBetween,
} from './working-days.ts';
