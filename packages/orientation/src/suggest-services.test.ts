import { multidimensionalFormV1 } from '@parcours/assessment';
import { bassinsDeVieOf, communesOf, demoDirectory } from '@parcours/demo-territory';
import { buildDirectoryIndex } from '@parcours/directory';
import { describe, expect, it } from 'vitest';
import { OrientationRules, orientationRulesV1 } from './orientation-rules.ts';
import { suggestForAssessment, suggestServices } from './suggest-services.ts';

const demoGeography = { communes: communesOf('05'), bassinsDeVie: bassinsDeVieOf('05') };
const index = buildDirectoryIndex(demoDirectory, demoGeography);
const laragne = '05070';

describe('orientation rules v1', () => {
  it('when the rules are read, then every need domain of the assessment form has bundles', () => {
    expect(Object.keys(orientationRulesV1.domains).sort()).toEqual(
      multidimensionalFormV1.domains.map((domain) => domain.code).sort(),
    );
  });

  it('when a waiting-time bracket is not a whole number of days, then the rules are refused', () => {
    const broken = {
      ...orientationRulesV1,
      weights: { ...orientationRulesV1.weights, waitingTime: [{ upToDays: 2.5, points: 1 }] },
    };
    expect(OrientationRules.safeParse(broken).success).toBe(false);
  });
});

describe('suggestServices on the demo directory', () => {
  it('when the person in Laragne-Montéglin has a severe housing need, then housing services come first with their reason in French', () => {
    const suggestions = suggestServices(index, {
      communeCode: laragne,
      needs: [{ domain: 'housing', level: 'severe', urgency: 'routine' }],
    });
    expect(suggestions.length).toBeGreaterThan(2);
    const adil = suggestions.find((suggestion) => suggestion.serviceId === 'adil-conseil-logement');
    expect(adil?.reason).toBe(
      'besoin : logement, sévère ; dessert Laragne-Montéglin ; permanence en visio à Laragne-Montéglin le jeudi ; accepte les orientations ; délai d’attente 6 jours',
    );
    for (const suggestion of suggestions) expect(suggestion.service.bundles).toContain('hebergement-logement');
    expect(suggestions.map((suggestion) => suggestion.rank)).toEqual(suggestions.map((_, position) => position + 1));
  });

  it('when a service answers several needs, then it gains points and names every need', () => {
    const suggestions = suggestServices(index, {
      communeCode: laragne,
      needs: [
        { domain: 'employment', level: 'moderate', urgency: 'routine' },
        { domain: 'training_skills', level: 'moderate', urgency: 'routine' },
      ],
    });
    const missionLocale = suggestions.find((suggestion) => suggestion.serviceId === 'mission-locale-accompagnement');
    expect(missionLocale?.matchedNeeds.map((need) => need.domain)).toEqual(['employment', 'training_skills']);
    expect(missionLocale?.points.additionalNeeds).toBe(orientationRulesV1.weights.additionalNeed);
    expect(missionLocale?.reasons[0]).toBe('besoins : emploi, modéré ; formation, modéré');
  });

  it('when the person belongs to no public a service is reserved to, then that service is left out', () => {
    const needs = [{ domain: 'employment', level: 'moderate', urgency: 'routine' }] as const;
    const all = suggestServices(index, { communeCode: laragne, needs, limit: 100 }).map((suggestion) => suggestion.serviceId);
    const senior = suggestServices(index, { communeCode: laragne, needs, limit: 100, personPublics: ['seniors'] }).map(
      (suggestion) => suggestion.serviceId,
    );
    expect(all).toContain('mission-locale-accompagnement');
    expect(senior).not.toContain('mission-locale-accompagnement');
  });

  it('when the commune is served by nothing, then there is no suggestion', () => {
    expect(suggestServices(index, { communeCode: '75056', needs: [{ domain: 'housing', level: 'severe' }] })).toEqual([]);
  });

  it('when a completed assessment is given, then its identified needs drive the suggestions', () => {
    const answers = {
      expressedRequest: { text: 'Ma femme ne peut plus rester seule.', domains: [] },
      needs: { autonomy: { level: 'severe' as const, urgency: 'urgent' as const }, housing: { level: 'none' as const } },
    };
    const suggestions = suggestForAssessment(index, { form: multidimensionalFormV1, answers, communeCode: laragne, limit: 5 });
    expect(suggestions.length).toBe(5);
    for (const suggestion of suggestions) expect(suggestion.matchedNeeds.map((need) => need.domain)).toEqual(['autonomy']);
    expect(suggestions[0]?.reason).toContain('besoin : autonomie, sévère, urgent');
  });

  it('when a suggested service was not verified for six months, then its reasons say so, and its rank does not change', () => {
    const request = {
      needs: [{ domain: 'food_basic_needs', level: 'severe' as const, urgency: 'urgent' as const }],
      communeCode: '05070',
      // Every candidate: the Baronnies' travelling grocery (verified in September 2025) is among them.
      limit: 100,
    };
    const without = suggestServices(index, request);
    const withToday = suggestServices(index, { ...request, today: '2026-12-06' });
    expect(withToday.map((suggestion) => suggestion.serviceId)).toEqual(without.map((suggestion) => suggestion.serviceId));
    for (const suggestion of withToday) {
      const stale = suggestion.reasons.some((reason) => reason.includes('à confirmer auprès du service'));
      expect(stale, suggestion.serviceId).toBe(suggestion.service.lastVerifiedAt < '2026-06-06');
    }
    expect(withToday.some((suggestion) => suggestion.reasons.some((reason) => reason.includes('à confirmer')))).toBe(true);
  });

  it('when the territory sets a longer freshness period, then a service verified within it is not flagged', () => {
    const request = {
      needs: [{ domain: 'food_basic_needs', level: 'severe' as const, urgency: 'urgent' as const }],
      communeCode: '05070',
      today: '2026-12-06',
      limit: 100,
    };
    const yearly = buildDirectoryIndex(demoDirectory, demoGeography, { freshnessMonths: 24 });
    for (const suggestion of suggestServices(yearly, request)) {
      const stale = suggestion.reasons.some((reason) => reason.includes('à confirmer auprès du service'));
      expect(stale, suggestion.serviceId).toBe(suggestion.service.lastVerifiedAt < '2024-12-06');
    }
  });
});
