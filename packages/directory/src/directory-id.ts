/**
 * A directory id from an exchanged row's id (data·inclusion, HSDS): lower case, no accent, dashes, 100 characters at
 * most (`dora--Aide_12` → `dora-aide-12`), so that the same source row always lands on the same service.
 */
export const slugOf = (id: string) =>
  id
    .toLowerCase()
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 100);
