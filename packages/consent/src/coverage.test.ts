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
const organisationArb = fc.constantFrom(caf, ccas);
const instantArb = fc.constantFrom(before, now, after, null);
const consentArb: fc.Arbitrary<ConsentFacts> = fc.record({
  id: fc.uuid(),
  decision: fc.constantFrom('consent' as const, 'consent' as const, 'opposition' as const),
  recipientOrganisationIds: fc.uniqueArray(organisationArb, { maxLength: 2 }),
  purposes: fc.uniqueArray(purposeArb, { maxLength: 3 }),
  categories: categoriesArb,
  collectedAt: fc.constantFrom(before, now, after),
  expiresAt: instantArb,
  withdrawnAt: instantArb,
});
const requestArb = fc.record({ recipientOrganisationId: organisationArb, purpose: purposeArb, categories: categoriesArb });

describe('properties', () => {
  it('a disclosure never contains a category that the consent it names does not cover, nor health without the permission', () => {
    fc.assert(
      fc.property(fc.array(consentArb, { maxLength: 5 }), requestArb, fc.boolean(), (consents, request, mayReadHealth) => {
        const disclosure = disclosableCategories(consents, request, now, { mayReadHealth });
        if (!disclosure) return;
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
    );
  });

  it('an active opposition, or withdrawing every consent, leaves nothing disclosable', () => {
    fc.assert(
      fc.property(fc.array(consentArb, { maxLength: 5 }), requestArb, (consents, request) => {
        const withdrawn = consents.map((candidate) => ({ ...candidate, withdrawnAt: now }));
        expect(disclosableCategories(withdrawn, request, now, { mayReadHealth: true })).toBeNull();
        expect(checkSharing(withdrawn, request, now).covered).toBe(false);
        const opposed = [...consents, { ...consent({ decision: 'opposition' }), id: 'opp' }];
        expect(disclosableCategories(opposed, request, now, { mayReadHealth: true })).toBeNull();
      }),
    );
  });

  it('covered sharing and "not covered" are two sides of one rule: covered iff nothing is missing', () => {
    fc.assert(
      fc.property(fc.array(consentArb, { maxLength: 5 }), requestArb, (consents, request) => {
        const coverage = checkSharing(consents, request, now);
        const disclosure = disclosableCategories(consents, request, now, { mayReadHealth: true });
        if (coverage.covered) {
          expect(disclosure?.categories.sort()).toEqual([...new Set(request.categories)].sort());
        } else {
          const missing = coverage.notCovered;
          expect(missing.recipient || missing.purpose || missing.categories.length > 0 || request.categories.length === 0).toBe(
            true,
          );
        }
      }),
    );
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
