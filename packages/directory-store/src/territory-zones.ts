import { createRequire } from 'node:module';
import type { ZoneGeography } from '@parcours/directory';

/**
 * France's geography as exchanged files name it (`zone_eligibilite`: commune, EPCI or département codes), from
 * the official list (`@etalab/decoupage-administratif`, current communes and EPCI), read once.
 */

// The package's index.js reads its data relative to the working directory, so the JSON is loaded directly.
const require = createRequire(import.meta.url);

let byDepartement: Map<string, string[]> | undefined;
let byEpci: Map<string, string[]> | undefined;

function communesByDepartement(): Map<string, string[]> {
  if (!byDepartement) {
    byDepartement = new Map();
    const communes = require('@etalab/decoupage-administratif/data/communes.json') as Array<{
      code: string;
      type: string;
      departement?: string;
    }>;
    for (const commune of communes) {
      if (commune.type !== 'commune-actuelle' || !commune.departement) continue;
      byDepartement.set(commune.departement, [...(byDepartement.get(commune.departement) ?? []), commune.code]);
    }
  }
  return byDepartement;
}

function communesByEpci(): Map<string, string[]> {
  if (!byEpci) {
    byEpci = new Map();
    const epcis = require('@etalab/decoupage-administratif/data/epci.json') as Array<{
      code: string;
      membres: Array<{ code: string }>;
    }>;
    for (const epci of epcis)
      byEpci.set(
        epci.code,
        epci.membres.map((member) => member.code),
      );
  }
  return byEpci;
}

export const franceZones: Required<ZoneGeography> = {
  communesOfDepartement: (departement) => communesByDepartement().get(departement) ?? [],
  communesOfEpci: (siren) => communesByEpci().get(siren) ?? [],
};
