import { buildDirectoryIndex, parseDirectoryFile, searchServices } from '@parcours/directory';
import { bundleCodes } from '@parcours/vocabulary';
import { describe, expect, it } from 'vitest';
import { bassinsDeVieOf, communesOf, demoDirectory } from '../src/index.ts';

const communes = communesOf('05');
const communeCodes = new Set(communes.map((commune) => commune.code));

describe('demo directory of the Hautes-Alpes', () => {
  it('when the demo directory is loaded, then it has at least 60 services with unique ids', () => {
    expect(demoDirectory.length).toBeGreaterThanOrEqual(60);
    expect(new Set(demoDirectory.map((service) => service.id)).size).toBe(demoDirectory.length);
  });

  it('when the demo directory is loaded, then all 18 bundles are covered', () => {
    const covered = new Set(demoDirectory.flatMap((service) => service.bundles));
    expect(bundleCodes.filter((code) => !covered.has(code))).toEqual([]);
  });

  it('when the demo directory is validated against the Hautes-Alpes communes, then every row is accepted', () => {
    const report = parseDirectoryFile(demoDirectory, { knownCommunes: communeCodes });
    expect(report.rejected).toEqual([]);
  });

  it('when the demo directory is read, then it has itinerant services and visio permanences at reception points', () => {
    const modes = new Set(demoDirectory.flatMap((service) => service.permanences.map((permanence) => permanence.mode)));
    expect([...modes].sort()).toEqual(['itinerant', 'on_site', 'visio']);
    const bus = demoDirectory.find((service) => service.id === 'fs-bus-buech');
    expect(new Set(bus?.permanences.map((permanence) => permanence.weekday)).size).toBeGreaterThanOrEqual(5);
  });

  it('when every commune of the département is looked up, then each is served by at least one service that accepts orientations', () => {
    const index = buildDirectoryIndex(demoDirectory, { communes, bassinsDeVie: bassinsDeVieOf('05') });
    const unserved = communes.filter(
      (commune) => searchServices(index, { communeCode: commune.code, acceptsReferrals: true }).total === 0,
    );
    expect(unserved).toEqual([]);
  });

  it('when organisations of the demo territory appear, then they carry the demo territory’s names', () => {
    const names = new Set(demoDirectory.map((service) => service.organisation.name));
    for (const name of [
      'France Services de Laragne-Montéglin',
      'CCAS de Gap',
      'CAF des Hautes-Alpes',
      'Point-justice de Briançon',
      'Association Entraide Buëch-Durance',
    ]) {
      expect(names).toContain(name);
    }
  });
});
