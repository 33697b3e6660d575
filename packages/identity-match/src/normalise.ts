/**
 * How two spellings of a name meet: lower case, no accents, ligatures spelt out, hyphens and apostrophes
 * as spaces ("Lefèvre-Åberg", "LEFEVRE ABERG" and "lefevre  aberg" meet).
 */
export function normaliseName(name: string): string {
  return name
    .replaceAll(/œ/gi, 'oe')
    .replaceAll(/æ/gi, 'ae')
    .normalize('NFD')
    .replaceAll(/\p{M}/gu, '')
    .toLowerCase()
    .replaceAll(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** Particles that a clerk may drop or keep: « de La Fontaine », « La Fontaine », « Fontaine ». */
const particles = new Set([
  'de',
  'du',
  'des',
  'la',
  'le',
  'les',
  'd',
  'l',
  'van',
  'von',
  'der',
  'den',
  'el',
  'al',
  'ben',
  'epouse',
  'ep',
  'nee',
]);

/** The words of a name, particles dropped: each part of a compound name counts alone. */
export function nameTokensOf(name: string): string[] {
  return normaliseName(name)
    .split(' ')
    .filter((token) => token.length >= 2 && !particles.has(token));
}

/**
 * A French phonetic key of one word, so that spellings heard the same meet (Philippe / Filipe,
 * Mathieu / Matthieu, Dupont / Dupond, Cathy / Kati): sounds folded, doubled letters single, silent
 * endings and mute h dropped. Deliberately coarse; the match key pairs it with the birth date.
 */
export function phoneticOf(word: string): string {
  let text = normaliseName(word).replaceAll(' ', '');
  const rules: Array<[RegExp, string]> = [
    [/ph/g, 'f'],
    [/th/g, 't'],
    [/qu/g, 'k'],
    [/gu(?=[eiy])/g, 'g'],
    [/c(?=[eiy])/g, 's'],
    [/g(?=[eiy])/g, 'j'],
    [/ck|c|q/g, 'k'],
    [/sch|sh/g, 'ch'],
    [/(?<=[aeiouy])s(?=[aeiouy])/g, 'z'],
    [/y/g, 'i'],
    [/w/g, 'v'],
    [/ei|ai/g, 'e'],
    [/au|eau/g, 'o'],
    [/(?<!c)h/g, ''],
    [/(.)\1+/g, '$1'],
    [/(?<=.{2})[dtsxz]$/, ''],
    [/(?<=.{2})e$/, ''],
  ];
  for (const [pattern, replacement] of rules) text = text.replace(pattern, replacement);
  return text;
}

/** The birth date as written, and with day and month swapped when that is a date too (12/03 for 03/12). */
export function birthDateVariantsOf(birthDate: string): string[] {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(birthDate);
  if (!match) return [];
  const [, year, month, day] = match as unknown as [string, string, string, string];
  const variants = [birthDate];
  if (day !== month && Number(day) <= 12) variants.push(`${year}-${day}-${month}`);
  return variants;
}
