import { bassinsDeVieOf, communesOf, demoDirectory } from '@parcours/demo-territory';
import { buildDirectoryIndex } from '@parcours/directory';
import { describe, expect, it } from 'vitest';
import { planOrientationChoice } from './orientation-choice.ts';
import { orientationRulesV1 } from './orientation-rules.ts';
import { suggestServices } from './suggest-services.ts';

const index = buildDirectoryIndex(demoDirectory, { communes: communesOf('05'), bassinsDeVie: bassinsDeVieOf('05') });
const suggestions = suggestServices(index, {
  communeCode: '05070',
  needs: [{ domain: 'housing', level: 'severe', urgency: 'urgent' }],
  limit: 3,
});

describe('planOrientationChoice', () => {
  it('when the agent picks a suggested service, then the choice records its rank and the rules version, and a referral follows', () => {
    const chosen = suggestions[1];
    if (!chosen) throw new Error('expected suggestions');
    const plan = planOrientationChoice(index, suggestions, orientationRulesV1, { serviceId: chosen.serviceId });
    expect(plan).toEqual({
      ok: true,
      value: {
        serviceId: chosen.serviceId,
        suggested: true,
        suggestionRank: 2,
        rulesVersion: 'parcours-orientation@1',
        reasonCode: null,
        reasonText: null,
        createsReferral: chosen.service.acceptsReferrals,
      },
    });
  });

  it('when the agent picks a service outside the suggestions without a reason, then the choice is refused', () => {
    const plan = planOrientationChoice(index, suggestions, orientationRulesV1, { serviceId: 'logement-social-demande' });
    expect(plan).toEqual({
      ok: false,
      issues: [{ path: 'reasonCode', message: 'motif obligatoire pour un service choisi hors des suggestions' }],
    });
  });

  it('when the agent picks a service outside the suggestions with a reason, then it is recorded as not suggested; no referral when the service takes none', () => {
    const plan = planOrientationChoice(index, suggestions, orientationRulesV1, {
      serviceId: 'logement-social-demande',
      reasonCode: 'person_preference',
    });
    expect(plan.ok && plan.value).toMatchObject({
      suggested: false,
      suggestionRank: null,
      reasonCode: 'person_preference',
      createsReferral: false,
    });
  });

  it('when the reason is "other" without words, or the service is unknown, then the choice is refused', () => {
    expect(planOrientationChoice(index, suggestions, orientationRulesV1, { serviceId: 'chrs-gap', reasonCode: 'other' }).ok).toBe(
      false,
    );
    expect(
      planOrientationChoice(index, suggestions, orientationRulesV1, { serviceId: 'nowhere', reasonCode: 'proximity' }).ok,
    ).toBe(false);
  });
});
