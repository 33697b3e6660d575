export {
  addWorkingDays,
  calendarDaysBetween,
  isWorkingDay,
  monthOf,
  parisDateOf,
  parisInstantAt,
  territoryTimeZone,
  type WorkingDayRules,
  workingDayRulesOf,
  workingDaysBetween,
} from './working-days.ts';
