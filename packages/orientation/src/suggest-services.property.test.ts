import { needLevels, urgencies } from '@parcours/assessment';
import { demoDirectory } from '@parcours/demo-territory';
import { buildDirectoryIndex, type DirectoryService, permanenceModes } from '@parcours/directory';
import { bundleCodes } from '@parcours/vocabulary';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { orientationRulesV1 } from './orientation-rules.ts';
import { type OrientationNeed, suggestServices } from './suggest-services.ts';

const template = demoDirectory[0] as DirectoryService;
const communePool = ['05070', '05061', '05023', '05046', '05166', '05126', '05010', '05132'];
const geography = {
  communes: communePool.map((code) => ({ code, name: `Commune ${code}` })),
  bassinsDeVie: [
    { code: 'b1', name: 'Bassin 1', communes: ['05070', '05166', '05126'] },
    { code: 'b2', name: 'Bassin 2', communes: ['05061', '05010', '05132'] },
    { code: 'b3', name: 'Bassin 3', communes: ['05023', '05046'] },
  ],
};
const domains = Object.keys(orientationRulesV1.domains);

const serviceArbitrary = (id: string) =>
  fc
    .record({
      bundles: fc.uniqueArray(fc.constantFrom(...bundleCodes), { minLength: 1, maxLength: 3 }),
      communesServed: fc.uniqueArray(fc.constantFrom(...communePool), { minLength: 1, maxLength: 5 }),
      waitingTimeDays: fc.option(fc.nat({ max: 200 }), { nil: null }),
      acceptsReferrals: fc.boolean(),
      presence: fc.uniqueArray(fc.constantFrom(...communePool), { maxLength: 2 }),
      mode: fc.constantFrom(...permanenceModes),
    })
    .map(
      ({ presence, mode, ...fields }): DirectoryService => ({
        ...template,
        ...fields,
        id,
        locations: [],
        permanences: presence.map((communeCode) => ({
          mode,
          communeCode,
          place: 'Mairie',
          weekday: 'MO',
          opens: '09:00',
          closes: '12:00',
          frequency: 'weekly',
        })),
      }),
    );

const directoryArbitrary: fc.Arbitrary<DirectoryService[]> = fc
  .uniqueArray(fc.stringMatching(/^[a-z][a-z0-9]{2,8}$/), { maxLength: 40 })
  .chain((ids) =>
    ids.length === 0
      ? fc.constant<DirectoryService[]>([])
      : fc.tuple(...ids.map(serviceArbitrary)).map((services) => [...services]),
  );

const needArbitrary: fc.Arbitrary<OrientationNeed> = fc.record({
  domain: fc.constantFrom(...domains),
  level: fc.constantFrom(...needLevels),
  urgency: fc.option(fc.constantFrom(...urgencies), { nil: undefined }),
});

const scenario = fc.record({
  services: directoryArbitrary,
  needs: fc.array(needArbitrary, { maxLength: 6 }),
  communeCode: fc.constantFrom(...communePool, '05999'),
});

const runs = { numRuns: 300 };

describe('orientation rules, properties', () => {
  it('when a service is suggested, then it serves the commune and matches a need the person has', () => {
    fc.assert(
      fc.property(scenario, ({ services, needs, communeCode }) => {
        const index = buildDirectoryIndex(services, geography);
        for (const suggestion of suggestServices(index, { needs, communeCode, limit: 1000 })) {
          expect(suggestion.service.communesServed).toContain(communeCode);
          expect(suggestion.matchedNeeds.length).toBeGreaterThan(0);
          for (const matched of suggestion.matchedNeeds) {
            expect(needs.some((need) => need.domain === matched.domain && need.level !== 'none')).toBe(true);
            const bundles = orientationRulesV1.domains[matched.domain]?.bundles ?? [];
            expect(
              matched.bundles.every((bundle) => bundles.includes(bundle) && suggestion.service.bundles.includes(bundle)),
            ).toBe(true);
          }
        }
      }),
      runs,
    );
  });

  it('when the same input is given twice, or in another order, then the ranking is the same', () => {
    fc.assert(
      fc.property(scenario, fc.infiniteStream(fc.nat()), ({ services, needs, communeCode }, randomness) => {
        const shuffle = <T>(items: readonly T[]): T[] =>
          items
            .map((item) => ({ item, key: randomness.next().value as number }))
            .sort((a, b) => a.key - b.key)
            .map(({ item }) => item);
        const first = suggestServices(buildDirectoryIndex(services, geography), { needs, communeCode, limit: 1000 });
        const again = suggestServices(buildDirectoryIndex(services, geography), { needs, communeCode, limit: 1000 });
        const shuffled = suggestServices(buildDirectoryIndex(shuffle(services), geography), {
          needs: shuffle(needs),
          communeCode,
          limit: 1000,
        });
        expect(again).toEqual(first);
        expect(shuffled).toEqual(first);
        for (let position = 1; position < first.length; position += 1) {
          const previous = first[position - 1];
          const current = first[position];
          if (!previous || !current) continue;
          expect(
            previous.score > current.score || (previous.score === current.score && previous.serviceId < current.serviceId),
          ).toBe(true);
        }
      }),
      runs,
    );
  });

  it('when the person has no need (every level none), then nothing is suggested, and a none need is never matched', () => {
    fc.assert(
      fc.property(scenario, ({ services, needs, communeCode }) => {
        const index = buildDirectoryIndex(services, geography);
        const noNeed = needs.map((need) => ({ ...need, level: 'none' as const }));
        expect(suggestServices(index, { needs: noNeed, communeCode })).toEqual([]);
        const absent = new Set(needs.filter((need) => need.level === 'none').map((need) => need.domain));
        for (const need of needs) if (need.level !== 'none') absent.delete(need.domain);
        for (const suggestion of suggestServices(index, { needs, communeCode, limit: 1000 })) {
          for (const matched of suggestion.matchedNeeds) expect(absent.has(matched.domain)).toBe(false);
        }
      }),
      runs,
    );
  });

  it('when a limit is given, then the list is the top of the unlimited ranking', () => {
    fc.assert(
      fc.property(scenario, fc.integer({ min: 1, max: 10 }), ({ services, needs, communeCode }, limit) => {
        const index = buildDirectoryIndex(services, geography);
        const all = suggestServices(index, { needs, communeCode, limit: 1000 });
        expect(suggestServices(index, { needs, communeCode, limit })).toEqual(all.slice(0, limit));
      }),
      runs,
    );
  });
});
