import type { Public } from '@parcours/directory';
import type { OrientationNeed } from './suggest-services.ts';

/** What orientation knows of the person beside her needs: her age, and the situation the assessment recorded. */
export interface PersonForOrientation {
  age: number | null;
  situation: {
    household?: 'alone' | 'couple' | 'couple_with_children' | 'single_parent' | undefined;
    activity?: 'employed' | 'jobseeker' | 'retired' | 'student' | 'unable_to_work' | 'other' | undefined;
    resources?: 'none_or_minimum' | 'modest' | 'above' | undefined;
  };
  needs: readonly OrientationNeed[];
}

const hasNeed = (needs: readonly OrientationNeed[], domain: string, atLeastModerate = false) =>
  needs.some((need) => need.domain === domain && need.level !== 'none' && (!atLeastModerate || need.level !== 'light'));

/**
 * The publics of the directory the person belongs to, or cannot be ruled out of (a fact not recorded rules
 * nothing out): a service reserved to other publics is never suggested (`personPublics` of `suggestServices`).
 * `carers` and `migrants` are never ruled out (the assessment does not ask); `women` neither (no sex recorded).
 */
export function publicsOfPerson(person: PersonForOrientation): Public[] {
  const { age, situation } = person;
  const possible = new Set<Public>(['all', 'migrants', 'women', ...knownPublicsOfPerson(person)]);
  const ageUnknown = age === null;
  if (ageUnknown || (age as number) >= 60) possible.add('seniors');
  if (ageUnknown || ((age as number) >= 16 && (age as number) <= 25)) possible.add('young_people');
  const household = situation.household;
  if (household === undefined || household === 'couple_with_children' || household === 'single_parent') possible.add('families');
  const activity = situation.activity;
  if (activity === undefined || activity === 'jobseeker') possible.add('jobseekers');
  if (activity === undefined || activity === 'employed') possible.add('workers');
  if (activity === undefined || activity === 'student') possible.add('students');
  if (situation.resources === undefined || situation.resources === 'none_or_minimum') possible.add('minimum_income_recipients');
  return [...possible].sort();
}

/**
 * The publics the person is known to belong to, from her age and situation and the needs recorded: a service
 * reserved to one of them is made for her (rules 2 weigh it, `targetedPublic`). A loss of autonomy recorded for
 * someone under 60 who can work is read as caring for a relative (`carers`).
 */
export function knownPublicsOfPerson(person: PersonForOrientation): Public[] {
  const { age, situation, needs } = person;
  const known = new Set<Public>();
  if (age !== null && age >= 60) known.add('seniors');
  if (age !== null && age >= 16 && age <= 25) known.add('young_people');
  if (situation.household === 'couple_with_children' || situation.household === 'single_parent') known.add('families');
  if (situation.activity === 'jobseeker') known.add('jobseekers');
  if (situation.activity === 'employed') known.add('workers');
  if (situation.activity === 'student') known.add('students');
  if (situation.resources === 'none_or_minimum') known.add('minimum_income_recipients');
  const autonomy = hasNeed(needs, 'autonomy', true);
  if (situation.activity === 'unable_to_work' || (autonomy && age !== null && age < 60)) {
    if (situation.activity === 'unable_to_work') known.add('people_with_disabilities');
    else known.add('carers');
  }
  if (autonomy && age !== null && age >= 60) known.add('people_with_disabilities');
  if (hasNeed(needs, 'shelter')) known.add('homeless');
  return [...known].sort();
}
