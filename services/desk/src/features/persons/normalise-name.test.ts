import { describe, expect, it } from 'vitest';
import { isOneEditApart, normaliseName, searchKeyOf } from './normalise-name.ts';

describe('normaliseName', () => {
  it('when names differ by accents, case, hyphens or ligatures, then they normalise alike', () => {
    expect(normaliseName('Lefèvre-Åberg')).toBe('lefevre aberg');
    expect(normaliseName('  LEFEVRE   aberg ')).toBe('lefevre aberg');
    expect(normaliseName('Cœur d’Alène')).toBe('coeur d alene');
    expect(searchKeyOf('Martin', 'Camille Élise')).toBe('martin camille elise');
  });

  it('when two names are one typo apart, then they are close; two typos, they are not', () => {
    expect(isOneEditApart('martin', 'martin')).toBe(true);
    expect(isOneEditApart('martin', 'martn')).toBe(true);
    expect(isOneEditApart('martin', 'mertin')).toBe(true);
    expect(isOneEditApart('martin', 'martins')).toBe(true);
    expect(isOneEditApart('martin', 'mertins')).toBe(false);
    expect(isOneEditApart('martin', 'dupont')).toBe(false);
  });
});
