import { createHmac } from 'node:crypto';
import { birthDateVariantsOf, nameTokensOf, phoneticOf } from './normalise.ts';

export interface Identity {
  familyName: string;
  givenNames: string;
  /** ISO date, YYYY-MM-DD. */
  birthDate: string;
  /** Birth (maiden) name, when the family name in use is another. */
  birthName?: string | null;
}

/**
 * The keyed digests an identity is found by. Two identities match when they share one key. Each key is
 * an HMAC (SHA-256, the territory's secret) of a family-name word, the first given name and the birth
 * date, in the tolerant forms of `normalise.ts`: every word of a compound family name and of the birth
 * name alone, phonetically; the date and its day/month swap. One typo is tolerated in the family name
 * or in the given name (not both), by keying each on its one-letter deletions. No name can
 * be read back from a key, so keys can be compared across organisations without showing what they hide.
 */
export function matchKeysOf(identity: Identity, secret: string): string[] {
  const families = [
    ...new Set([...nameTokensOf(identity.familyName), ...nameTokensOf(identity.birthName ?? '')].map(phoneticOf)),
  ].filter((token) => token.length >= 2);
  const given = phoneticOf(nameTokensOf(identity.givenNames)[0] ?? '');
  const dates = birthDateVariantsOf(identity.birthDate);
  if (families.length === 0 || given.length < 2 || dates.length === 0) return [];
  const keys = new Set<string>();
  for (const date of dates) {
    for (const family of families) {
      // Two words one typo apart (a letter replaced, dropped, added, or two swapped) share a word with one
      // letter deleted: keying each name on its deletions, the other name whole, meets one typo in either.
      for (const variant of withOneDeletion(family)) keys.add(digest(secret, `f:${variant}|g:${given}|${date}`));
      for (const variant of withOneDeletion(given)) keys.add(digest(secret, `f:${family}|g:${variant}|${date}`));
    }
  }
  return [...keys].sort();
}

/** Whether two identities would be matched: they share a key. */
export function identitiesMatch(a: Identity, b: Identity, secret: string): boolean {
  const keys = new Set(matchKeysOf(a, secret));
  return matchKeysOf(b, secret).some((key) => keys.has(key));
}

/** The word itself and each word made by deleting one of its letters. */
function withOneDeletion(word: string): string[] {
  const variants = new Set([word]);
  for (let index = 0; index < word.length; index += 1) variants.add(word.slice(0, index) + word.slice(index + 1));
  return [...variants];
}

function digest(secret: string, text: string): string {
  return createHmac('sha256', secret).update(text).digest('base64url');
}
