import { createRequire } from 'node:module';

/**
 * Communes by name, for people: the official list (`@etalab/decoupage-administratif`, current communes), read
 * once. Agents type and read a commune's name; the INSEE code stays underneath (stored, exchanged, shown small).
 */

interface EtalabCommune {
  code: string;
  nom: string;
  type: string;
  departement?: string;
  codesPostaux?: string[];
}

export interface Commune {
  code: string;
  name: string;
  departement: string;
  postalCodes: string[];
}

// The package's index.js reads its data relative to the working directory, so the JSON is loaded directly.
const require = createRequire(import.meta.url);
let byCode: Map<string, Commune> | undefined;
let byName: Map<string, Commune[]> | undefined;

/** Lower case, no accent, « Saint » and « St » alike, hyphens, apostrophes and spaces as one space. */
export function communeNameKey(name: string): string {
  return name
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase()
    .replace(/[-'’\s]+/g, ' ')
    .replace(/\bst(e?)\b/g, (_match, feminine: string) => (feminine ? 'sainte' : 'saint'))
    .trim();
}

function load(): { byCode: Map<string, Commune>; byName: Map<string, Commune[]> } {
  if (!byCode || !byName) {
    byCode = new Map();
    byName = new Map();
    for (const row of require('@etalab/decoupage-administratif/data/communes.json') as EtalabCommune[]) {
      if (row.type !== 'commune-actuelle') continue;
      const commune = { code: row.code, name: row.nom, departement: row.departement ?? '', postalCodes: row.codesPostaux ?? [] };
      byCode.set(commune.code, commune);
      const key = communeNameKey(commune.name);
      byName.set(key, [...(byName.get(key) ?? []), commune]);
    }
  }
  return { byCode, byName };
}

export function communeOf(code: string): Commune | undefined {
  return load().byCode.get(code);
}

/** « Gap (05061) »; a code the list does not know is shown as it is. */
export function communeLabelOf(code: string | null | undefined): string {
  if (!code) return '';
  const commune = communeOf(code);
  return commune ? `${commune.name} (${commune.code})` : code;
}

/** The communes of a département, by name (for the pages' suggestions). */
export function communesOfDepartement(departement: string): Commune[] {
  return [...load().byCode.values()]
    .filter((commune) => commune.departement === departement)
    .sort((a, b) => a.name.localeCompare(b.name, 'fr'));
}

export type CommuneInput = { ok: true; code: string } | { ok: false; message: string };

const inseeCode = /^(?:\d{5}|2[AB]\d{3})$/;

/**
 * What an agent typed in a commune field: a name (« gap », « Saint-Bonnet-en-Champsaur »), a name with its
 * code as the suggestions show it (« Gap (05061) »), a postal code (« 05000 »), or an INSEE code. Homonyms are
 * settled by the territory's département; a name found nowhere, or in several other départements, is
 * refused with a sentence saying what to do.
 */
export function communeOfInput(text: string, departement: string | null): CommuneInput {
  const typed = text.trim();
  const { byCode, byName } = load();
  const withCode = /\(([0-9AB]{5})\)\s*$/.exec(typed)?.[1];
  if (withCode && byCode.has(withCode)) return { ok: true, code: withCode };
  if (inseeCode.test(typed)) {
    if (byCode.has(typed)) return { ok: true, code: typed };
    // A postal code: the communes it serves, in the territory's département first.
    const served = [...byCode.values()].filter((commune) => commune.postalCodes.includes(typed));
    const local = served.filter((commune) => commune.departement === departement);
    const candidates = local.length > 0 ? local : served;
    if (candidates.length === 1) return { ok: true, code: (candidates[0] as Commune).code };
    if (candidates.length > 1) {
      return {
        ok: false,
        message: `Le code postal ${typed} dessert plusieurs communes (${candidates
          .slice(0, 5)
          .map((commune) => commune.name)
          .join(', ')}${candidates.length > 5 ? '…' : ''}) : tapez le nom de la commune.`,
      };
    }
    return { ok: false, message: `Aucune commune ne porte le code ${typed} : tapez son nom et choisissez dans la liste.` };
  }
  const named = byName.get(communeNameKey(withCode ? typed.replace(/\([^)]*\)\s*$/, '') : typed)) ?? [];
  const local = named.filter((commune) => commune.departement === departement);
  const candidates = local.length > 0 ? local : named;
  if (candidates.length === 1) return { ok: true, code: (candidates[0] as Commune).code };
  if (candidates.length > 1) {
    return {
      ok: false,
      message: `Plusieurs communes s’appellent « ${typed} » : choisissez dans la liste, ou tapez son code postal.`,
    };
  }
  return { ok: false, message: `La commune « ${typed} » est inconnue : vérifiez l’orthographe ou choisissez dans la liste.` };
}
