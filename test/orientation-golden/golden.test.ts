/**
 * The golden set measured: for each situation of `situations.ts`, the rank of every expected service among the
 * suggestions (orientation rules in force, the person's possible publics), whether every expected right is
 * « suggéré », and that nothing of its `never` list is offered. Fails below the recall stated here; writes the
 * figures to `bench/results/orientation-golden.json` (quoted in the README).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { multidimensionalFormV1, rightsForPerson } from '@parcours/assessment';
import { bassinsDeVieOf, communesOf, demoDirectory } from '@parcours/demo-territory';
import { buildDirectoryIndex } from '@parcours/directory';
import {
  knownPublicsOfPerson,
  type OrientationRules,
  orientationRulesV1,
  orientationRulesV2,
  publicsOfPerson,
  suggestServices,
} from '@parcours/orientation';
import { describe, expect, it } from 'vitest';
import { type GoldenSituation, goldenSituations } from './situations.ts';

/** Stated floors: expected services in the first 5 and the first 10, expected rights « suggéré ». */
export const goldenTargets = { servicesInFirst5: 0.6, servicesInFirst10: 0.8, rightsSuggested: 0.9 } as const;

const index = buildDirectoryIndex(demoDirectory, { communes: communesOf('05'), bassinsDeVie: bassinsDeVieOf('05') });

function measure(situation: GoldenSituation, rules: OrientationRules, withPublics: boolean) {
  const needs = Object.entries(situation.needs).map(([domain, [level, urgency]]) => ({ domain, level, urgency }));
  const suggestions = suggestServices(
    index,
    {
      needs,
      communeCode: situation.commune,
      limit: 10,
      ...(withPublics
        ? {
            personPublics: publicsOfPerson({ age: situation.age, situation: situation.situation, needs }),
            knownPublics: knownPublicsOfPerson({ age: situation.age, situation: situation.situation, needs }),
          }
        : {}),
    },
    rules,
  );
  const ranked = suggestions.map((suggestion) => suggestion.serviceId);
  const answers = {
    needs: Object.fromEntries(needs.map(({ domain, level, urgency }) => [domain, { level, urgency }])),
    situation: situation.situation,
  };
  const rights = rightsForPerson(multidimensionalFormV1, answers, situation.age);
  const suggestedRights = rights.filter((right) => right.verdict === 'suggested').map((right) => right.right as string);
  const offeredRights = rights.map((right) => right.right as string);
  return {
    id: situation.id,
    serviceRanks: Object.fromEntries(situation.services.map((id) => [id, ranked.indexOf(id) + 1 || null])),
    rightsSuggested: Object.fromEntries(situation.rights.map((right) => [right, suggestedRights.includes(right)])),
    neverOffered: (situation.never ?? []).filter((id) => ranked.includes(id) || offeredRights.includes(id)),
    first: ranked[0] ?? null,
  };
}

function figuresOf(results: ReturnType<typeof measure>[]) {
  const ranks = results.flatMap((result) => Object.values(result.serviceRanks));
  const rights = results.flatMap((result) => Object.values(result.rightsSuggested));
  const share = (count: number, total: number) => (total === 0 ? 1 : Math.round((count / total) * 1000) / 1000);
  return {
    situations: results.length,
    expectedServices: ranks.length,
    servicesInFirst5: share(ranks.filter((rank) => rank !== null && rank <= 5).length, ranks.length),
    servicesInFirst10: share(ranks.filter((rank) => rank !== null).length, ranks.length),
    expectedRights: rights.length,
    rightsSuggested: share(rights.filter(Boolean).length, rights.length),
    neverOffered: results.reduce((total, result) => total + result.neverOffered.length, 0),
  };
}

describe('the golden set of situations', () => {
  it(`has at least 30 situations, each with expected services; the suggestions reach the stated recall and never offer what is excluded`, () => {
    expect(goldenSituations.length).toBeGreaterThanOrEqual(30);
    const results = goldenSituations.map((situation) => measure(situation, orientationRulesV2, true));
    // Rules 1 without the person's publics, measured beside: what this version changed.
    const before = figuresOf(goldenSituations.map((situation) => measure(situation, orientationRulesV1, false)));
    const figures = figuresOf(results);
    const report = {
      measuredAt: new Date().toISOString(),
      targets: goldenTargets,
      rules: `${orientationRulesV2.id}@${orientationRulesV2.version}`,
      figures,
      rulesV1WithoutPublics: before,
      situations: results,
    };
    const dir = join(import.meta.dirname, '..', '..', 'bench', 'results');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'orientation-golden.json'), `${JSON.stringify(report, null, 2)}\n`);
    process.stdout.write(
      `golden set: ${JSON.stringify(figures)}\nrules 1 without publics: ${JSON.stringify(before)}\n${results
        .filter(
          (result) =>
            Object.values(result.serviceRanks).some((rank) => rank === null || rank > 5) ||
            Object.values(result.rightsSuggested).some((suggested) => !suggested) ||
            result.neverOffered.length > 0,
        )
        .map((result) => `  ${result.id}: ${JSON.stringify(result)}`)
        .join('\n')}\n`,
    );
    expect(figures.neverOffered, 'services or rights offered that the situation excludes').toBe(0);
    expect(figures.servicesInFirst5).toBeGreaterThanOrEqual(goldenTargets.servicesInFirst5);
    expect(figures.servicesInFirst10).toBeGreaterThanOrEqual(goldenTargets.servicesInFirst10);
    expect(figures.rightsSuggested).toBeGreaterThanOrEqual(goldenTargets.rightsSuggested);
  });

  it('when the 83-year-old woman of the issue comes, then the day shelter for women victims of violence is not suggested and the APA evaluation is', () => {
    const aged = goldenSituations.find((situation) => situation.id === 'aged-alone-hamlet') as GoldenSituation;
    const result = measure(aged, orientationRulesV2, true);
    expect(result.neverOffered).toEqual([]);
    expect(result.serviceRanks['apa-evaluation']).not.toBeNull();
    // Rules 1, without her publics, put the shelter among her suggestions: what the issue saw.
    expect(measure(aged, orientationRulesV1, false).neverOffered).toContain('paroles-de-femmes-accueil');
  });
});
