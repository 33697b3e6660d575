import { nonTakeUpReasons, organisationKinds } from '@parcours/vocabulary';
import { describe, expect, it } from 'vitest';
import { rightsForPerson } from './assessment-answers.ts';
import { multidimensionalFormV1 } from './forms/multidimensional-v1.form.ts';
import {
  followUpRight,
  isRightFollowUpOver,
  PotentialRight,
  rightCodes,
  rightsCatalogue,
  rightVerdictOf,
} from './potential-rights.ts';

const at = new Date('2026-03-02T09:00:00Z');

describe('potential rights catalogue', () => {
  it('when the catalogue is read, then it lists the rights the guichet intégré follows', () => {
    expect(rightCodes).toEqual(
      expect.arrayContaining([
        'rsa',
        'prime_activite',
        'apl',
        'als',
        'aah',
        'apa',
        'css',
        'aspa',
        'pch',
        'cheque_energie',
        'ars',
        'bourse_scolaire',
      ]),
    );
  });

  it('when a right is read, then it has a short French label and an organisation kind of the platform that instructs it', () => {
    for (const code of rightCodes) {
      const right = rightsCatalogue[code];
      expect(right.label.length, code).toBeGreaterThan(1);
      expect(organisationKinds, code).toContain(right.instructedBy.kind);
      expect(right.instructedBy.body.length, code).toBeGreaterThan(2);
    }
  });
});

describe('potential right follow-up', () => {
  const identified: PotentialRight = { right: 'rsa', status: 'identified' };

  it('when an identified right is requested then opened, then its follow-up is over', () => {
    const requested = followUpRight(identified, { status: 'requested' }, at);
    expect(requested.ok).toBe(true);
    if (!requested.ok) return;
    const opened = followUpRight(requested.right, { status: 'opened' }, at);
    expect(opened).toEqual({ ok: true, right: { right: 'rsa', status: 'opened', updatedAt: at.toISOString() } });
    if (opened.ok) expect(isRightFollowUpOver(opened.right)).toBe(true);
  });

  it('when a right is not requested without a non-take-up reason, then the follow-up refuses it in French', () => {
    const result = followUpRight(identified, { status: 'not_requested' }, at);
    expect(result).toEqual({ ok: false, message: 'motif de non-recours obligatoire quand le droit est refusé ou non demandé' });
  });

  it.each(Object.keys(nonTakeUpReasons))('when a right is refused with the reason %s, then the reason is kept', (reason) => {
    const result = followUpRight(identified, { status: 'refused', nonTakeUpReason: reason as keyof typeof nonTakeUpReasons }, at);
    expect(result.ok && result.right.nonTakeUpReason).toBe(reason);
  });

  it('when an opened right carries a non-take-up reason, then the schema rejects it', () => {
    expect(PotentialRight.safeParse({ right: 'apl', status: 'opened', nonTakeUpReason: 'non_request' }).success).toBe(false);
  });

  it('when a right has an outcome, then its follow-up cannot move again', () => {
    const result = followUpRight({ right: 'css', status: 'opened' }, { status: 'refused', nonTakeUpReason: 'non_reception' }, at);
    expect(result.ok).toBe(false);
  });

  it('when a requested right is said not requested, then the follow-up refuses the move', () => {
    const result = followUpRight(
      { right: 'apa', status: 'requested' },
      { status: 'not_requested', nonTakeUpReason: 'non_request' },
      at,
    );
    expect(result.ok).toBe(false);
  });
});

describe('rights that fit the person', () => {
  const needs = (...domains: string[]) =>
    Object.fromEntries(domains.map((domain) => [domain, { level: 'moderate' as const, urgency: 'soon' as const }]));
  const verdicts = (answers: Parameters<typeof rightsForPerson>[1], age: number | null) =>
    Object.fromEntries(rightsForPerson(multidimensionalFormV1, answers, age).map((verdict) => [verdict.right, verdict.verdict]));

  it('when an 83-year-old woman lives alone on a small pension (heating, falls, isolation, money), then the rights of her age are suggested and none of a family, a job seeker or a young person', () => {
    const rights = verdicts(
      {
        needs: needs('energy_utilities', 'autonomy', 'isolation', 'resources_rights', 'budget_debt', 'housing'),
        situation: { household: 'alone', activity: 'retired', resources: 'modest' },
      },
      83,
    );
    for (const right of ['apa', 'aspa', 'cheque_energie', 'fsl', 'apl', 'als', 'ash'])
      expect(rights[right], right).toBe('suggested');
    for (const right of ['rsa', 'prime_activite', 'aeeh', 'ars', 'are', 'ass', 'aah', 'pch', 'alf', 'asf', 'paje', 'cej']) {
      expect(rights[right], right).toBeUndefined();
    }
  });

  it('when the situation is not recorded yet, then what could apply is « à vérifier » and names what is missing', () => {
    const [rsa] = rightsForPerson(multidimensionalFormV1, { needs: needs('resources_rights') }, null).filter(
      (verdict) => verdict.right === 'rsa',
    );
    expect(rsa).toEqual({
      right: 'rsa',
      verdict: 'to_check',
      missing: ['l’âge (date de naissance)', 'l’activité', 'les ressources du foyer'],
    });
    expect(
      rightVerdictOf('ame', { age: 40, situation: { household: 'alone', activity: 'other', resources: 'none_or_minimum' } }),
    ).toEqual({
      right: 'ame',
      verdict: 'to_check',
      missing: ['la situation de séjour en France'],
    });
  });

  it('when a single mother of two looks for work with no resources, then RSA, ASF, ALF and the children’s rights are suggested', () => {
    const rights = verdicts(
      {
        needs: needs('resources_rights', 'employment', 'housing', 'children_education', 'early_childhood_parenting'),
        situation: { household: 'single_parent', activity: 'jobseeker', resources: 'none_or_minimum' },
      },
      31,
    );
    for (const right of ['rsa', 'asf', 'alf', 'ars', 'paje', 'are', 'ass', 'apl']) expect(rights[right], right).toBe('suggested');
    for (const right of ['als', 'apa', 'aspa', 'prime_activite', 'cej']) expect(rights[right], right).toBeUndefined();
  });

  it('every right carries its conditions as data, and the main ones a page to check them with the person', () => {
    for (const code of rightCodes) expect(rightsCatalogue[code].eligibility, code).toBeDefined();
    for (const code of ['rsa', 'prime_activite', 'apl', 'apa', 'aspa', 'css', 'aah'] as const) {
      expect((rightsCatalogue[code] as { check?: { url: string } }).check?.url, code).toMatch(/^https:\/\//);
    }
  });
});
