import { describe, expect, it } from 'vitest';
import { identitiesMatch } from '../src/index.ts';
import { generateIdentityPairs } from './identity-pairs.ts';

/**
 * The matching measured on 10,000 generated pairs (half the same person typed two ways, half different
 * people who look alike). The README quotes these figures; a change to the keys that lowers them fails here.
 */
export function measureMatching(count = 10_000) {
  const secret = 'a territory secret of at least thirty-two characters';
  const pairs = generateIdentityPairs(count);
  let truePositives = 0;
  let falsePositives = 0;
  let falseNegatives = 0;
  const missedBy = new Map<string, number>();
  const wronglyMatchedBy = new Map<string, number>();
  for (const pair of pairs) {
    const matched = identitiesMatch(pair.a, pair.b, secret);
    if (matched && pair.samePerson) truePositives += 1;
    else if (matched) {
      falsePositives += 1;
      wronglyMatchedBy.set(pair.variation, (wronglyMatchedBy.get(pair.variation) ?? 0) + 1);
    } else if (pair.samePerson) {
      falseNegatives += 1;
      missedBy.set(pair.variation, (missedBy.get(pair.variation) ?? 0) + 1);
    }
  }
  return {
    pairs: pairs.length,
    precision: truePositives / (truePositives + falsePositives),
    recall: truePositives / (truePositives + falseNegatives),
    missedBy: Object.fromEntries(missedBy),
    wronglyMatchedBy: Object.fromEntries(wronglyMatchedBy),
  };
}

describe('identity matching quality', () => {
  it('when 10,000 generated pairs are matched, then precision and recall stay above the figures the README quotes', () => {
    const measured = measureMatching();
    expect(measured.pairs).toBe(10_000);
    // The figures and what was missed or wrongly matched, by variation, name themselves when this fails.
    expect(measured.precision, JSON.stringify(measured)).toBeGreaterThanOrEqual(0.99);
    expect(measured.recall, JSON.stringify(measured)).toBeGreaterThanOrEqual(0.95);
  });
});
