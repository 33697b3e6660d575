import { normaliseName } from '@parcours/identity-match';

/** The form names are compared in: `@parcours/identity-match`'s, the same across structures. */
export { normaliseName };

/** `person_identities.search_key`: normalised family name, then given names. */
export function searchKeyOf(familyName: string, givenNames: string): string {
  return `${normaliseName(familyName)} ${normaliseName(givenNames)}`.trim();
}

/** Edit distance, bounded: enough to catch one typo in a name without scoring every pair in SQL. */
export function isOneEditApart(a: string, b: string): boolean {
  if (a === b) return true;
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  let j = 0;
  let edits = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      i += 1;
      j += 1;
      continue;
    }
    edits += 1;
    if (edits > 1) return false;
    if (a.length > b.length) i += 1;
    else if (b.length > a.length) j += 1;
    else {
      i += 1;
      j += 1;
    }
  }
  return edits + (a.length - i) + (b.length - j) <= 1;
}
