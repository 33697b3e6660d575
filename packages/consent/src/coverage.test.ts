import { type DataCategory, dataCategories, referralPurposes } from '@parcours/vocabulary';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type ConsentFacts, checkSharing, disclosableCategories, filterToCategories, isConsentActive } from './coverage.ts';

const caf = '00000000-0000-4000-8000-000000000001';
const ccas = '00000000-0000-4000-8000-000000000002';
const now = new Date('2026-03-02T09:00:00Z');
const before = new Date('2026-03-01T09:00:00Z');
const after = new Date('2026-03-03T09:00:00Z');

const consent = (overrides: Partial<ConsentFacts> = {}): ConsentFacts => ({
  id: 'c1',
  decision: 'consent',
  recipientOrganisationIds: [caf],
  purposes: ['rights_opening'],
  categories: ['identity', 'contact', 'situation_summary'],
  collectedAt: before,
  expiresAt: null,
  withdrawnAt: null,
  ...overrides,
});

describe('checkSharing', () => {
  it('when one active consent names the recipient, the purpose and every category, then it covers the sharing', () => {
    expect(
      checkSharing(
        [consent()],
        { recipientOrganisationId: caf, purpose: 'rights_opening', categories: ['identity', 'contact'] },
        now,
      ),
    ).toEqual({ covered: true, consentId: 'c1', categories: ['identity', 'contact'] });
  });

  it('when a category is not covered, then the answer lists exactly the missing categories', () => {
    const coverage = checkSharing(
      [consent()],
      { recipientOrganisationId: caf, purpose: 'rights_opening', categories: ['identity', 'health', 'assessment'] },
      now,
    );
    expect(coverage).toEqual({
      covered: false,
      opposition: false,
      consentId: null,
      notCovered: { recipient: false, purpose: false, categories: ['health', 'assessment'] },
    });
  });

  it('when no consent names the recipient, then the recipient, the purpose and every category are reported', () => {
    const coverage = checkSharing(
      [consent()],
      { recipientOrganisationId: ccas, purpose: 'rights_opening', categories: ['identity'] },
      now,
    );
    expect(coverage).toMatchObject({ covered: false, notCovered: { recipient: true, purpose: true, categories: ['identity'] } });
  });

  it('when the purpose differs, then only the purpose and categories are reported', () => {
    const coverage = checkSharing(
      [consent()],
      { recipientOrganisationId: caf, purpose: 'housing', categories: ['identity'] },
      now,
    );
    expect(coverage).toMatchObject({ covered: false, notCovered: { recipient: false, purpose: true } });
  });

  it('when an opposition is active, then nothing is covered, whatever consents exist', () => {
    const coverage = checkSharing(
      [consent(), consent({ id: 'o1', decision: 'opposition', recipientOrganisationIds: [], purposes: [], categories: [] })],
      { recipientOrganisationId: caf, purpose: 'rights_opening', categories: ['identity'] },
      now,
    );
    expect(coverage).toMatchObject({ covered: false, opposition: true });
  });

  it('when the consent is withdrawn, expired or not yet collected, then it is not active', () => {
    expect(isConsentActive(consent({ withdrawnAt: now }), now)).toBe(false);
    expect(isConsentActive(consent({ expiresAt: now }), now)).toBe(false);
    expect(isConsentActive(consent({ collectedAt: after }), now)).toBe(false);
    expect(isConsentActive(consent({ expiresAt: after, withdrawnAt: after }), now)).toBe(true);
  });
});

const categoriesArb = fc.uniqueArray(fc.constantFrom(...dataCategories), { maxLength: dataCategories.length });
const purposeArb = fc.constantFrom(...referralPurposes);
/** An organisation no request ever names: consents to it are the noise a real person's file holds. */
const elsewhere = '00000000-0000-4000-8000-000000000003';

/**
 * What a property is about, built rather than hoped for: an active consent, a request derived from it (its
 * recipient, its purpose, some of its categories) that it covers, then one perturbation that should change the
 * answer in a known way — or none. Consents to another organisation stand beside it as noise.
 */
const perturbations = [
  'none',
  'other_recipient',
  'other_purpose',
  'extra_category',
  'withdrawn',
  'expired',
  'not_yet_collected',
  'opposition',
] as const;
type Perturbation = (typeof perturbations)[number];

const scenarioArb = fc
  .record({
    recipient: fc.constantFrom(caf, ccas),
    purposes: fc.uniqueArray(purposeArb, { minLength: 1, maxLength: 3 }),
    // At least one category left out of the consent, so that a category can be added to the request.
    consented: fc.uniqueArray(fc.constantFrom(...dataCategories), { minLength: 1, maxLength: dataCategories.length - 1 }),
    noise: fc.array(
      fc.record({
        purposes: fc.uniqueArray(purposeArb, { maxLength: 3 }),
        categories: categoriesArb,
        decision: fc.constant('consent' as const),
      }),
      { maxLength: 3 },
    ),
    perturbation: fc.constantFrom(...perturbations),
    pick: fc.infiniteStream(fc.boolean()),
    mayReadHealth: fc.boolean(),
  })
  .map(({ recipient, purposes, consented, noise, perturbation, pick, mayReadHealth }) => {
    const purpose = purposes[0] as (typeof referralPurposes)[number];
    const choices = pick[Symbol.iterator]();
    // A non-empty subset of the consented categories.
    const subset = consented.filter((_, index) => index === 0 || choices.next().value === true);
    const covering = consent({
      id: 'covering',
      recipientOrganisationIds: [recipient],
      purposes,
      categories: consented,
      expiresAt: perturbation === 'expired' ? now : null,
      withdrawnAt: perturbation === 'withdrawn' ? before : null,
      collectedAt: perturbation === 'not_yet_collected' ? after : before,
    });
    const extra = dataCategories.find((category) => !consented.includes(category)) as DataCategory;
    const otherPurpose = referralPurposes.find((candidate) => !purposes.includes(candidate)) ?? purpose;
    const request = {
      recipientOrganisationId: perturbation === 'other_recipient' ? (recipient === caf ? ccas : caf) : recipient,
      purpose: perturbation === 'other_purpose' ? otherPurpose : purpose,
      categories: perturbation === 'extra_category' ? [...subset, extra] : subset,
    };
    const consents: ConsentFacts[] = [
      ...noise.map((item, index) => consent({ ...item, id: `noise-${index}`, recipientOrganisationIds: [elsewhere] })),
      covering,
      ...(perturbation === 'opposition'
        ? [consent({ id: 'opposition', decision: 'opposition', recipientOrganisationIds: [], purposes: [], categories: [] })]
        : []),
    ];
    return { consents, request, perturbation, subset, extra, mayReadHealth };
  });

/** How often each branch ran: a generator drifting away from the cases a property is about fails the test. */
function expectEveryBranchRan(counts: Record<string, number>, runs: number, atLeastShare: number) {
  for (const [branch, count] of Object.entries(counts)) {
    expect(count / runs, `share of runs in « ${branch} »`).toBeGreaterThanOrEqual(atLeastShare);
  }
}

// Enough runs that the rarest branch checked (health held back, about 3 % of runs) comes about 30 times.
const runs = 1_000;

describe('properties', () => {
  it('a disclosure never contains a category that the consent it names does not cover, nor health without the permission', () => {
    const counts = { disclosed: 0, nothing: 0, health_held_back: 0 };
    fc.assert(
      fc.property(scenarioArb, ({ consents, request, mayReadHealth, subset }) => {
        const disclosure = disclosableCategories(consents, request, now, { mayReadHealth });
        if (!disclosure) {
          counts.nothing += 1;
          return;
        }
        counts.disclosed += 1;
        if (!mayReadHealth && subset.includes('health')) counts.health_held_back += 1;
        const allowing = consents.find((candidate) => candidate.id === disclosure.consentId);
        expect(allowing).toBeDefined();
        expect(allowing && isConsentActive(allowing, now)).toBe(true);
        expect(allowing?.decision).toBe('consent');
        expect(allowing?.recipientOrganisationIds).toContain(request.recipientOrganisationId);
        expect(allowing?.purposes).toContain(request.purpose);
        for (const category of disclosure.categories) {
          expect(allowing?.categories).toContain(category);
          expect(request.categories).toContain(category);
        }
        if (!mayReadHealth) expect(disclosure.categories).not.toContain('health');
      }),
      { numRuns: runs },
    );
    expectEveryBranchRan(counts, runs, 0.01);
  });

  it('each perturbation of a covering consent changes the answer as the rule says, and only then is it not covered', () => {
    const counts = Object.fromEntries(perturbations.map((perturbation) => [perturbation, 0])) as Record<Perturbation, number>;
    fc.assert(
      fc.property(scenarioArb, ({ consents, request, perturbation, subset, extra, mayReadHealth }) => {
        counts[perturbation] += 1;
        const coverage = checkSharing(consents, request, now);
        const disclosure = disclosableCategories(consents, request, now, { mayReadHealth });
        const readable = (categories: readonly DataCategory[]) =>
          categories.filter((category) => mayReadHealth || category !== 'health').sort();
        switch (perturbation) {
          case 'none':
            expect(coverage).toEqual({ covered: true, consentId: 'covering', categories: subset });
            expect(disclosure?.categories.sort()).toEqual(readable(subset));
            break;
          case 'other_recipient':
            expect(coverage).toMatchObject({ covered: false, opposition: false, notCovered: { recipient: true, purpose: true } });
            expect(disclosure).toBeNull();
            break;
          case 'other_purpose':
            // When every purpose is consented there is no other one: the request stays covered.
            if (coverage.covered)
              expect(referralPurposes.every((purpose) => consents.at(-1)?.purposes.includes(purpose))).toBe(true);
            else {
              expect(coverage).toMatchObject({ opposition: false, notCovered: { recipient: false, purpose: true } });
              expect(disclosure).toBeNull();
            }
            break;
          case 'extra_category':
            expect(coverage).toMatchObject({
              covered: false,
              notCovered: { recipient: false, purpose: false, categories: [extra] },
            });
            // What the consent does cover may still be shown, without the category it does not.
            expect(disclosure?.categories.sort()).toEqual(readable(subset));
            break;
          case 'withdrawn':
          case 'expired':
          case 'not_yet_collected':
            expect(coverage).toMatchObject({ covered: false, opposition: false, notCovered: { recipient: true } });
            expect(disclosure).toBeNull();
            break;
          case 'opposition':
            expect(coverage).toMatchObject({ covered: false, opposition: true });
            expect(disclosure).toBeNull();
            break;
        }
      }),
      { numRuns: runs },
    );
    expectEveryBranchRan(counts, runs, 0.05);
  });

  it('filtering an answer keeps exactly the allowed categories present in it', () => {
    fc.assert(
      fc.property(categoriesArb, categoriesArb, (present, allowed) => {
        const answer = Object.fromEntries(present.map((category) => [category, { some: 'value' }])) as Partial<
          Record<DataCategory, unknown>
        >;
        const filtered = filterToCategories(answer, allowed);
        expect(Object.keys(filtered).sort()).toEqual(present.filter((category) => allowed.includes(category)).sort());
      }),
    );
  });
});
