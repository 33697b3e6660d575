import { describe, expect, it } from 'vitest';
import { type CaseManagementAnswers, caseManagementEligibility } from './case-management.ts';

const complex: CaseManagementAnswers = {
  functionalProblems: true,
  medicalProblems: true,
  decisionMakingProblems: true,
  helpInPlaceInsufficient: true,
  closeCircleAbleToCoordinate: false,
};

describe('MAIA case-management test', () => {
  it('when all three criteria hold, then the situation is eligible with one reason per criterion', () => {
    const result = caseManagementEligibility(complex);
    expect(result.eligible).toBe(true);
    expect(result.criteria.map((criterion) => [criterion.criterion, criterion.met])).toEqual([
      ['unstable_situation', true],
      ['insufficient_help', true],
      ['no_coordinating_circle', true],
    ]);
    expect(result.reasons).toEqual([
      'Situation instable : problèmes fonctionnels, médicaux et d’autonomie décisionnelle cumulés.',
      'Les aides en place sont insuffisantes ou inadaptées.',
      'Aucun proche n’est en mesure de coordonner les aides.',
    ]);
  });

  it.each([
    ['functionalProblems', false],
    ['medicalProblems', false],
    ['decisionMakingProblems', false],
    ['helpInPlaceInsufficient', false],
    ['closeCircleAbleToCoordinate', true],
  ] as const)('when only %s breaks the test, then the situation is not eligible', (key, value) => {
    const result = caseManagementEligibility({ ...complex, [key]: value });
    expect(result.eligible).toBe(false);
    expect(result.criteria.filter((criterion) => criterion.met === false)).toHaveLength(1);
  });

  it('when medical problems are absent, then the reason names what is missing from the unstable situation', () => {
    const result = caseManagementEligibility({ ...complex, medicalProblems: false });
    expect(result.criteria[0]?.reason).toBe('Situation non instable au sens MAIA : pas de problèmes médicaux.');
  });

  it('when an answer is unknown, then the situation is not eligible and the criterion says it is to be filled in', () => {
    const result = caseManagementEligibility({ ...complex, decisionMakingProblems: null, closeCircleAbleToCoordinate: null });
    expect(result.eligible).toBe(false);
    expect(result.criteria.map((criterion) => criterion.met)).toEqual([null, true, null]);
    expect(result.reasons[0]).toContain('non renseignés');
  });
});
