import { bassinsDeVieOf, communesOf, demoDirectory } from '@parcours/demo-territory';
import { buildDirectoryIndex, proximityOf, searchServices } from '@parcours/directory';
import { describe, expect, it } from 'vitest';

const index = buildDirectoryIndex(demoDirectory, { communes: communesOf('05'), bassinsDeVie: bassinsDeVieOf('05') });
const entry = (id: string) => {
  const found = index.byId.get(id);
  if (!found) throw new Error(`no service ${id}`);
  return found;
};

describe('directory search', () => {
  it('when searching by bundle and commune, then only services of that bundle serving that commune come back, sorted by id', () => {
    const result = searchServices(index, { bundle: 'hebergement-logement', communeCode: '05070' });
    expect(result.total).toBeGreaterThan(0);
    for (const service of result.services) {
      expect(service.bundles).toContain('hebergement-logement');
      expect(service.communesServed).toContain('05070');
    }
    const ids = result.services.map((service) => service.id);
    expect(ids).toEqual([...ids].sort());
  });

  it('when searching words without accents, then accented names match', () => {
    const result = searchServices(index, { text: 'mediation familiale' });
    expect(result.services.map((service) => service.id)).toContain('mediation-familiale-udaf');
  });

  it('when an acronym or a whole word is searched, then it is never found inside another word', () => {
    const apa = searchServices(index, { text: 'APA' }).services.map((service) => service.id);
    expect(apa).toContain('apa-evaluation');
    expect(apa).not.toContain('csapa-addictions');
    // « APA » is also the initials of « Allocation personnalisée d’autonomie », whatever the name says in brackets.
    const initials = searchServices(index, { text: 'CSAPA' }).services.map((service) => service.id);
    expect(initials).toEqual(['csapa-addictions']);
    // From four letters, the start of a word: what an agent types before finishing it.
    expect(searchServices(index, { text: 'teleassist' }).services.map((service) => service.id)).toContain(
      'teleassistance-departementale',
    );
    expect(searchServices(index, { text: 'ssistance' }).total).toBe(0);
  });

  it('when a commune is not served at all, then the search is empty', () => {
    expect(searchServices(index, { communeCode: '75056' })).toEqual({ total: 0, services: [] });
  });

  it('when results are paginated, then pages do not overlap and the total stays', () => {
    const first = searchServices(index, { limit: 10 });
    const second = searchServices(index, { limit: 10, offset: 10 });
    expect(first.total).toBe(demoDirectory.length);
    expect(second.services.map((service) => service.id)).not.toContain(first.services[0]?.id);
  });
});

describe('proximity', () => {
  it('when the service has premises or a permanence in the commune, then it is in the same commune', () => {
    expect(proximityOf(index, entry('fs-laragne-accueil'), '05070')).toBe('same_commune');
    expect(proximityOf(index, entry('caf-acces-droits'), '05070')).toBe('same_commune');
  });

  it('when the service is present elsewhere in the bassin de vie, then it is in the same bassin', () => {
    expect(proximityOf(index, entry('fs-bus-buech'), '05070')).toBe('same_bassin');
  });

  it('when the service is present only elsewhere, or nowhere, then it is département-wide or remote', () => {
    expect(proximityOf(index, entry('pass-chicas'), '05070')).toBe('departement');
    expect(proximityOf(index, entry('siao-115'), '05070')).toBe('remote_only');
  });
});
