import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { identitiesMatch, matchKeysOf, phoneticOf } from '../src/index.ts';

const secret = 'a territory secret of at least thirty-two characters';
const camille = { familyName: 'Lefèvre-Martin', givenNames: 'Camille Rose', birthDate: '1984-03-07', birthName: 'Durand' };

describe('identity match keys', () => {
  it('when the same person is typed as another structure would, then she matches: accents, case, day and month swapped, one part of the name, her birth name', () => {
    expect(
      identitiesMatch(camille, { familyName: 'LEFEVRE MARTIN', givenNames: 'camille', birthDate: '1984-03-07' }, secret),
    ).toBe(true);
    expect(identitiesMatch(camille, { familyName: 'Martin', givenNames: 'Camille', birthDate: '1984-07-03' }, secret)).toBe(true);
    expect(identitiesMatch(camille, { familyName: 'Durand', givenNames: 'Camille', birthDate: '1984-03-07' }, secret)).toBe(true);
    expect(identitiesMatch(camille, { familyName: 'Lefevbre', givenNames: 'Camille', birthDate: '1984-03-07' }, secret)).toBe(
      true,
    );
  });

  it('when two people look alike, then they do not match: a twin, a namesake born another day, another family', () => {
    expect(identitiesMatch(camille, { ...camille, givenNames: 'Hugo' }, secret)).toBe(false);
    expect(identitiesMatch(camille, { ...camille, birthDate: '1984-03-08' }, secret)).toBe(false);
    expect(identitiesMatch(camille, { familyName: 'Bernard', givenNames: 'Camille', birthDate: '1984-03-07' }, secret)).toBe(
      false,
    );
  });

  it('when keys are computed, then they hide the name and depend on the territory secret', () => {
    const keys = matchKeysOf(camille, secret);
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys)
      for (const word of ['lefevre', 'martin', 'camille', 'durand', '1984']) expect(key.toLowerCase()).not.toContain(word);
    const other = matchKeysOf(camille, 'another territory secret, thirty-two characters long');
    expect(other.some((key) => keys.includes(key))).toBe(false);
    expect(matchKeysOf({ familyName: '', givenNames: 'Camille', birthDate: '1984-03-07' }, secret)).toEqual([]);
    expect(matchKeysOf({ familyName: 'Martin', givenNames: 'Camille', birthDate: '07/03/1984' }, secret)).toEqual([]);
  });

  it('when spellings sound the same, then their phonetic forms meet', () => {
    expect(phoneticOf('Philippe')).toBe(phoneticOf('Filipe'));
    expect(phoneticOf('Matthieu')).toBe(phoneticOf('Mathieu'));
    expect(phoneticOf('Dupont')).toBe(phoneticOf('Dupond'));
  });

  it('matching is symmetric, and everyone matches themself', () => {
    const identity = fc.record({
      familyName: fc.string({ minLength: 2, maxLength: 20 }),
      givenNames: fc.string({ minLength: 2, maxLength: 20 }),
      birthDate: fc
        .date({ min: new Date('1900-01-01'), max: new Date('2025-12-31'), noInvalidDate: true })
        .map((date) => date.toISOString().slice(0, 10)),
    });
    fc.assert(
      fc.property(identity, identity, (a, b) => {
        expect(identitiesMatch(a, b, secret)).toBe(identitiesMatch(b, a, secret));
        if (matchKeysOf(a, secret).length > 0) expect(identitiesMatch(a, a, secret)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});
