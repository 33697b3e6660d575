import { demoDirectory } from '@parcours/demo-territory';
import { exportDirectory, parseDirectoryFile, parseDirectoryJson } from '@parcours/directory';
import { describe, expect, it } from 'vitest';

const good = demoDirectory[0];
const other = demoDirectory[1];
if (!good || !other) throw new Error('the demo directory is empty');

describe('directory import', () => {
  it('when a file mixes good and malformed rows, then every bad row is reported with its index and French reasons, and good rows are kept', () => {
    const rows = [
      good,
      { ...other, communesServed: ['5070', '05061'] },
      'not a service',
      { ...other, id: 'Sans Majuscules', bundles: ['cuisine'], waitingTimeDays: -2 },
      { ...other, name: undefined, acceptsReferrals: 'oui' },
      other,
      { ...good },
    ];
    const report = parseDirectoryFile({ format: 'parcours-directory', version: 1, services: rows });
    expect(report.total).toBe(7);
    expect(report.fileError).toBeNull();
    expect(report.accepted.map((service) => service.id)).toEqual([good.id, other.id]);
    expect(report.rejected).toEqual([
      { index: 1, id: other.id, reasons: ['communesServed[0] : code commune INSEE invalide (5 caractères, par exemple 05070)'] },
      { index: 2, id: null, reasons: ['la ligne n’est pas un objet JSON'] },
      {
        index: 3,
        id: 'Sans Majuscules',
        reasons: [
          'id : identifiant invalide (minuscules, chiffres et tirets)',
          'bundles[0] : bouquet de services inconnu',
          'waitingTimeDays : délai d’attente négatif',
        ],
      },
      {
        index: 4,
        id: other.id,
        reasons: ['name : champ obligatoire manquant', 'acceptsReferrals : acceptsReferrals doit valoir true ou false'],
      },
      { index: 6, id: good.id, reasons: [`id : identifiant « ${good.id} » déjà utilisé par la ligne 1`] },
    ]);
  });

  it('when a row names a commune outside the territory, then it is rejected with the commune', () => {
    const report = parseDirectoryFile([{ ...good, communesServed: ['05070', '38185'] }], { knownCommunes: ['05070'] });
    expect(report.rejected).toEqual([
      { index: 0, id: good.id, reasons: expect.arrayContaining(['communesServed[1] : commune 38185 inconnue du territoire']) },
    ]);
  });

  it('when opening hours close before they open, then the row is rejected', () => {
    const location = good.locations[0];
    if (!location) throw new Error('the first demo service has no location');
    const row = { ...good, locations: [{ ...location, openingHours: [{ weekday: 'MO', opens: '17:00', closes: '09:00' }] }] };
    const report = parseDirectoryFile([row]);
    expect(report.rejected[0]?.reasons).toEqual([
      'locations[0].openingHours[0].closes : l’heure d’ouverture doit précéder l’heure de fermeture',
    ]);
  });

  it('when the file is not JSON, or has no services list, then the whole file is refused with a French reason', () => {
    expect(parseDirectoryJson('{ services: [').fileError).toMatch(/^JSON illisible/);
    expect(parseDirectoryFile({ format: 'parcours-directory', version: 1 }).fileError).toBe('liste « services » absente');
    expect(parseDirectoryFile({ format: 'hsds', services: [] }).fileError).toBe(
      'format « hsds » non reconnu (attendu : parcours-directory)',
    );
    expect(parseDirectoryFile(42).accepted).toEqual([]);
  });
});

describe('directory export', () => {
  it('when the demo directory is exported then imported, then the same services come back', () => {
    const exported = exportDirectory(demoDirectory, { now: new Date('2026-03-02T09:00:00Z') });
    const report = parseDirectoryJson(JSON.stringify(exported));
    expect(report.rejected).toEqual([]);
    expect(report.accepted).toEqual([...demoDirectory].sort((a, b) => a.id.localeCompare(b.id)));
    expect(exportDirectory(report.accepted, { now: new Date('2026-03-02T09:00:00Z') })).toEqual(exported);
  });
});
