import { createRequire } from 'node:module';

interface EtalabCommune {
  code: string;
  nom: string;
  departement?: string;
  type: string;
  population?: number;
}
interface EtalabEpci {
  code: string;
  nom: string;
  membres: Array<{ code: string; nom: string }>;
}

// The package's index.js reads its data relative to the working directory, so the JSON is loaded directly.
const require = createRequire(import.meta.url);
const allCommunes = require('@etalab/decoupage-administratif/data/communes.json') as EtalabCommune[];
const allEpci = require('@etalab/decoupage-administratif/data/epci.json') as EtalabEpci[];

export interface Commune {
  code: string;
  name: string;
  population: number | null;
}

export interface BassinDeVie {
  code: string;
  name: string;
  communes: string[];
}

/** Current communes of a département (INSEE codes), from @etalab/decoupage-administratif. */
export function communesOf(departementCode: string): Commune[] {
  return allCommunes
    .filter((commune) => commune.departement === departementCode && commune.type === 'commune-actuelle')
    .map((commune) => ({ code: commune.code, name: commune.nom, population: commune.population ?? null }));
}

/**
 * Bassins de vie of a département. INSEE's bassins de vie are not in @etalab/decoupage-administratif, so
 * the demo uses the intercommunalities (EPCI), which in rural départements follow the same daily-life areas.
 */
export function bassinsDeVieOf(departementCode: string): BassinDeVie[] {
  const codes = new Set(communesOf(departementCode).map((commune) => commune.code));
  return allEpci
    .filter((epci) => epci.membres.some((member) => codes.has(member.code)))
    .map((epci) => ({
      code: epci.code,
      name: epci.nom,
      communes: epci.membres.map((member) => member.code).filter((code) => codes.has(code)),
    }));
}

export function communeName(code: string): string | null {
  return allCommunes.find((commune) => commune.code === code && commune.type === 'commune-actuelle')?.nom ?? null;
}
