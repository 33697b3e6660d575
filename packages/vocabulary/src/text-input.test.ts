import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { textFaultOf, textFaultsIn } from './text-input.ts';

describe('the text rule', () => {
  it.each([
    ['Jeanne Martin', null],
    ['Factures\n\timpayées\r\n', null],
    ['Émilie 👵 Öçal', null],
    ['Dupont\u0000', 'control_character'],
    ['bip\u0007', 'control_character'],
    ['del\u007f', 'control_character'],
    ['c1\u0085', 'control_character'],
    ['\ud800 seul', 'malformed_unicode'],
    ['fin \udfff', 'malformed_unicode'],
    ['inversé \udc00\ud800', 'malformed_unicode'],
  ])('%j → %s', (text, fault) => {
    expect(textFaultOf(text)).toBe(fault);
  });

  it('agrees with String.prototype.isWellFormed and a character-by-character check on any string', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        const control = [...text].some((character) => {
          const code = character.codePointAt(0) ?? 0;
          return (code < 0x20 && code !== 9 && code !== 10 && code !== 13) || (code >= 0x7f && code <= 0x9f);
        });
        const wellFormed = (text as string & { isWellFormed(): boolean }).isWellFormed();
        expect(textFaultOf(text)).toBe(control ? 'control_character' : wellFormed ? null : 'malformed_unicode');
      }),
      { numRuns: 2000 },
    );
  });

  it('finds every faulty string and key of a nested input, with its path', () => {
    const input = {
      familyName: 'Martin',
      answers: { needs: { housing: { note: 'a\u0000b' } }, list: ['ok', '\ud800'] },
      ['clé\u0000']: 'x',
    };
    expect(textFaultsIn(input)).toEqual([
      { field: 'answers.needs.housing.note', fault: 'control_character' },
      { field: 'answers.list.1', fault: 'malformed_unicode' },
      { field: 'clé?', fault: 'control_character' },
    ]);
    expect(textFaultsIn({ ok: ['a', { b: 'c' }], n: 3, t: true, z: null })).toEqual([]);
  });
});
