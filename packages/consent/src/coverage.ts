import type { ConsentDecision, DataCategory, ReferralPurpose } from '@parcours/vocabulary';

/** What a consent says, as the rules need it: read fresh from the database on every request, never cached. */
export interface ConsentFacts {
  id: string;
  decision: ConsentDecision;
  recipientOrganisationIds: readonly string[];
  purposes: readonly string[];
  categories: readonly string[];
  collectedAt: Date;
  expiresAt: Date | null;
  withdrawnAt: Date | null;
}

/** One intended disclosure: to whom, why, which categories. */
export interface SharingRequest {
  recipientOrganisationId: string;
  purpose: ReferralPurpose;
  categories: readonly DataCategory[];
}

export interface NotCovered {
  /** No active consent names the recipient. */
  recipient: boolean;
  /** No active consent naming the recipient covers the purpose. */
  purpose: boolean;
  /** Categories the best matching consent does not cover (all of them when nothing matches). */
  categories: DataCategory[];
}

export type Coverage =
  | { covered: true; consentId: string; categories: DataCategory[] }
  | { covered: false; opposition: boolean; consentId: null; notCovered: NotCovered };

/** In force at `now`: collected, not expired, not withdrawn. Withdrawal takes effect at the instant it is recorded. */
export function isConsentActive(consent: ConsentFacts, now: Date): boolean {
  const at = now.getTime();
  return (
    consent.collectedAt.getTime() <= at &&
    (consent.expiresAt === null || consent.expiresAt.getTime() > at) &&
    (consent.withdrawnAt === null || consent.withdrawnAt.getTime() > at)
  );
}

/** An active opposition blocks every non-mandatory sharing, whatever consents exist beside it. */
export function activeOpposition(consents: readonly ConsentFacts[], now: Date): ConsentFacts | undefined {
  return consents.find((consent) => consent.decision === 'opposition' && isConsentActive(consent, now));
}

/**
 * The active consent that names the recipient and the purpose and covers the most of the requested
 * categories (ties: the most recent), or undefined. One consent, so that a disclosure is audited with the
 * one record that allowed it.
 */
export function bestMatchingConsent(
  consents: readonly ConsentFacts[],
  request: Pick<SharingRequest, 'recipientOrganisationId' | 'purpose'> & { categories: readonly string[] },
  now: Date,
): ConsentFacts | undefined {
  let best: { consent: ConsentFacts; score: number } | undefined;
  for (const consent of consents) {
    if (consent.decision !== 'consent' || !isConsentActive(consent, now)) continue;
    if (!consent.recipientOrganisationIds.includes(request.recipientOrganisationId)) continue;
    if (!consent.purposes.includes(request.purpose)) continue;
    const score = request.categories.filter((category) => consent.categories.includes(category)).length;
    if (
      !best ||
      score > best.score ||
      (score === best.score && consent.collectedAt.getTime() > best.consent.collectedAt.getTime())
    ) {
      best = { consent, score };
    }
  }
  return best?.consent;
}

/**
 * Does one active consent cover the recipient, the purpose and EVERY requested category? When it does
 * not, says what is missing, so the agent can reduce the payload or collect a consent.
 */
export function checkSharing(consents: readonly ConsentFacts[], request: SharingRequest, now: Date): Coverage {
  const requested = [...new Set(request.categories)];
  if (activeOpposition(consents, now)) {
    return {
      covered: false,
      opposition: true,
      consentId: null,
      notCovered: { recipient: true, purpose: true, categories: requested },
    };
  }
  const naming = consents.filter(
    (consent) =>
      consent.decision === 'consent' &&
      isConsentActive(consent, now) &&
      consent.recipientOrganisationIds.includes(request.recipientOrganisationId),
  );
  const best = bestMatchingConsent(naming, request, now);
  if (!best) {
    return {
      covered: false,
      opposition: false,
      consentId: null,
      notCovered: {
        recipient: naming.length === 0,
        purpose: true,
        categories: requested,
      },
    };
  }
  const missing = requested.filter((category) => !best.categories.includes(category));
  if (missing.length > 0) {
    return {
      covered: false,
      opposition: false,
      consentId: null,
      notCovered: { recipient: false, purpose: false, categories: missing },
    };
  }
  return { covered: true, consentId: best.id, categories: requested };
}

export interface Disclosure {
  consentId: string;
  /** What may be shown: requested ∩ consented, without health unless the reader holds the health permission. */
  categories: DataCategory[];
}

/**
 * What a recipient may see of a person's data now: null when nothing (an opposition, no active consent
 * naming the recipient and purpose). Categories not covered are dropped, not refused: the answer shrinks.
 */
export function disclosableCategories(
  consents: readonly ConsentFacts[],
  request: SharingRequest,
  now: Date,
  reader: { mayReadHealth: boolean },
): Disclosure | null {
  if (activeOpposition(consents, now)) return null;
  const best = bestMatchingConsent(consents, request, now);
  if (!best) return null;
  const categories = [...new Set(request.categories)].filter(
    (category) => best.categories.includes(category) && (category !== 'health' || reader.mayReadHealth),
  );
  return { consentId: best.id, categories };
}

/**
 * Keeps only the allowed categories of an answer keyed by category. Built from the allowed list, not by
 * deleting the others: a category added to the answer later is left out until it is allowed.
 */
export function filterToCategories<T extends Partial<Record<DataCategory, unknown>>>(
  answer: T,
  allowed: readonly DataCategory[],
): Partial<T> {
  const filtered: Partial<T> = {};
  for (const category of allowed) {
    if (Object.hasOwn(answer, category)) filtered[category] = answer[category];
  }
  return filtered;
}
