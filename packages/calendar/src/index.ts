export {
  addWorkingDays,
  calendarDaysBetween,
  isWorkingDay,
  monthOf,
  parisDateOf,
  territoryTimeZone,
  workingDaysBetween,
} from './working-days.ts';
