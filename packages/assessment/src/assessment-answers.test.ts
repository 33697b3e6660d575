import { describe, expect, it } from 'vitest';
import {
  type AssessmentAnswers,
  identifiedNeeds,
  rightsToCheck,
  summariseAssessment,
  validateCompletion,
  validateDraft,
} from './assessment-answers.ts';
import { multidimensionalFormV1 as form } from './forms/multidimensional-v1.form.ts';

/** Every domain answered "no need", then the given answers on top. */
function completeAnswers(needs: AssessmentAnswers['needs'] = {}, extra: Partial<AssessmentAnswers> = {}): AssessmentAnswers {
  return {
    expressedRequest: { text: 'Je cherche un logement et un travail.', domains: ['housing', 'employment'] },
    needs: { ...Object.fromEntries(form.domains.map((domain) => [domain.code, { level: 'none' as const }])), ...needs },
    ...extra,
  };
}

describe('validateDraft', () => {
  it('when a draft answers only two domains, then it is valid', () => {
    const result = validateDraft(form, {
      needs: { housing: { level: 'severe' }, employment: { level: 'moderate', urgency: 'soon' } },
    });
    expect(result.ok).toBe(true);
  });

  it('when a draft is empty, then it is valid with no needs', () => {
    expect(validateDraft(form, {})).toEqual({ ok: true, value: { needs: {} } });
  });

  it('when a draft names a domain the form does not have, then it is refused with the path and a French reason', () => {
    const result = validateDraft(form, { needs: { astrology: { level: 'light' } } });
    expect(result).toEqual({
      ok: false,
      issues: [{ path: 'needs.astrology', message: 'domaine inconnu du formulaire parcours-multidimensional v1' }],
    });
  });

  it('when a need level is not on the scale, then the draft is refused with a French reason', () => {
    const result = validateDraft(form, { needs: { housing: { level: 'huge' } } });
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.issues).toEqual([
        { path: 'needs.housing.level', message: 'niveau de besoin invalide (none, light, moderate ou severe)' },
      ]);
  });
});

describe('validateCompletion', () => {
  it('when every domain is answered with urgencies and a written request, then the assessment can be completed', () => {
    const result = validateCompletion(
      form,
      completeAnswers({ housing: { level: 'severe', urgency: 'urgent', note: 'Fin de bail dans un mois.' } }),
    );
    expect(result.ok).toBe(true);
  });

  it('when domains are missing, then each missing domain is reported by name', () => {
    const result = validateCompletion(form, {
      expressedRequest: { text: 'Aide', domains: [] },
      needs: { housing: { level: 'none' } },
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues).toHaveLength(form.domains.length - 1);
    expect(result.issues).toContainEqual({ path: 'needs.employment', message: 'domaine non renseigné : Emploi' });
  });

  it('when a need has no urgency, or an urgency has no need, then completion is refused for that domain', () => {
    const result = validateCompletion(
      form,
      completeAnswers({ housing: { level: 'moderate' }, mobility: { level: 'none', urgency: 'soon' } }),
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues.map((issue) => issue.path)).toEqual(['needs.housing.urgency', 'needs.mobility.urgency']);
  });

  it('when the expressed request is empty, then completion is refused', () => {
    const result = validateCompletion(form, completeAnswers({}, { expressedRequest: { text: '  ', domains: [] } }));
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.issues).toEqual([
        { path: 'expressedRequest.text', message: 'demande exprimée par la personne non renseignée' },
      ]);
  });

  it('when autonomy needs are severe and the MAIA screening is unanswered, then completion asks for its five answers', () => {
    const result = validateCompletion(form, completeAnswers({ autonomy: { level: 'severe', urgency: 'urgent' } }));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues.map((issue) => issue.path)).toHaveLength(5);
  });

  it('when autonomy needs are severe and the MAIA screening is answered, then the assessment can be completed', () => {
    const result = validateCompletion(
      form,
      completeAnswers(
        { autonomy: { level: 'severe', urgency: 'urgent' } },
        {
          caseManagement: {
            functionalProblems: true,
            medicalProblems: true,
            decisionMakingProblems: false,
            helpInPlaceInsufficient: true,
            closeCircleAbleToCoordinate: true,
          },
        },
      ),
    );
    expect(result.ok).toBe(true);
  });
});

describe('summariseAssessment', () => {
  const answers = completeAnswers(
    {
      housing: { level: 'severe', urgency: 'urgent' },
      employment: { level: 'moderate', urgency: 'routine' },
      health: { level: 'light', urgency: 'soon', note: 'Traitement en cours.' },
      mobility: { level: 'none', note: 'A une voiture.' },
      autonomy: { level: 'none' },
    },
    { caseManagement: { functionalProblems: false } },
  );

  it('when needs are summarised, then they are grouped by level and by urgency, most urgent first', () => {
    const summary = summariseAssessment(form, answers);
    expect(summary.needs.map((need) => need.domain)).toEqual(['housing', 'health', 'employment']);
    expect(summary.needsByLevel).toEqual({ light: ['health'], moderate: ['employment'], severe: ['housing'] });
    expect(summary.needsByUrgency).toEqual({ routine: ['employment'], soon: ['health'], urgent: ['housing'], immediate: [] });
    expect(summary.answeredDomains).toBe(form.domains.length);
  });

  it('when a health-tagged domain is answered, then the summary names it and the assessment carries the health category', () => {
    const summary = summariseAssessment(form, answers);
    expect(summary.healthTaggedDomains).toEqual(['health', 'autonomy']);
    expect(summary.needs.find((need) => need.domain === 'health')?.health).toBe(true);
    expect(summary.dataCategories).toEqual(['assessment', 'health', 'free_notes']);
  });

  it('when no health domain has a need or a note, then the assessment does not carry the health category', () => {
    const summary = summariseAssessment(form, completeAnswers({ housing: { level: 'light', urgency: 'routine' } }));
    expect(summary.dataCategories).toEqual(['assessment']);
  });

  it('when the expressed request differs from the needs, then the summary keeps both apart', () => {
    const summary = summariseAssessment(form, answers);
    expect(summary.expressedRequest?.domains).toEqual(['housing', 'employment']);
    expect(summary.needs.map((need) => need.domain)).toContain('health');
  });

  it('when rights are followed, then the summary counts them by status', () => {
    const summary = summariseAssessment(form, answers, [
      { right: 'rsa', status: 'opened' },
      { right: 'css', status: 'not_requested', nonTakeUpReason: 'non_knowledge' },
    ]);
    expect(summary.rights.byStatus.opened).toEqual(['rsa']);
    expect(summary.rights.byStatus.not_requested).toEqual(['css']);
    expect(summary.caseManagement?.eligible).toBe(false);
  });

  it('when needs are identified, then the rights to check follow their domains', () => {
    expect(rightsToCheck(form, answers)).toEqual(expect.arrayContaining(['apl', 'css', 'are']));
    expect(rightsToCheck(form, answers)).not.toContain('apa');
  });

  it('when a domain has level none, then it is not an identified need', () => {
    expect(identifiedNeeds(form, answers).map((need) => need.domain)).not.toContain('mobility');
  });
});
