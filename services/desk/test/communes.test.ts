import { describe, expect, it } from 'vitest';
import { communeLabelOf, communeOfInput, communesOfDepartement } from '../src/features/communes/communes.ts';

describe('communes by name', () => {
  it('when an agent types a commune as people write it, then its INSEE code is found', () => {
    for (const typed of ['Gap', 'gap', ' GAP ', 'Gap (05061)', '05061']) {
      expect(communeOfInput(typed, '05'), typed).toEqual({ ok: true, code: '05061' });
    }
    for (const typed of ['Saint-Bonnet-en-Champsaur', 'saint bonnet en champsaur', 'St-Bonnet-en-Champsaur']) {
      expect(communeOfInput(typed, '05'), typed).toEqual({ ok: true, code: '05132' });
    }
    expect(communeOfInput('le monetier les bains', '05')).toEqual({ ok: true, code: '05079' });
    expect(communeOfInput('Laragne Montéglin', '05')).toEqual({ ok: true, code: '05070' });
  });

  it('when a name or a postal code designates several communes, or none, then the agent is told what to type', () => {
    expect(communeOfInput('Saint-Pierre', null)).toEqual({
      ok: false,
      message: 'Plusieurs communes s’appellent « Saint-Pierre » : choisissez dans la liste, ou tapez son code postal.',
    });
    const postal = communeOfInput('05300', '05');
    expect(postal.ok).toBe(false);
    expect(postal.ok ? '' : postal.message).toMatch(/^Le code postal 05300 dessert plusieurs communes \(.*Laragne-Montéglin/);
    expect(communeOfInput('Gapp', '05')).toEqual({
      ok: false,
      message: 'La commune « Gapp » est inconnue : vérifiez l’orthographe ou choisissez dans la liste.',
    });
    expect(communeOfInput('99999', '05').ok).toBe(false);
  });

  it('when a commune is shown, then it reads by its name with the code beside it', () => {
    expect(communeLabelOf('05061')).toBe('Gap (05061)');
    expect(communeLabelOf('00000')).toBe('00000');
    const hautesAlpes = communesOfDepartement('05');
    expect(hautesAlpes.length).toBeGreaterThan(150);
    expect(hautesAlpes.map((commune) => commune.name)).toContain('Laragne-Montéglin');
  });
});
