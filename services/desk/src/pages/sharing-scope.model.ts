import { type DataCategory, dataCategories, type ReferralPurpose, referralPurposes } from '@parcours/vocabulary';
import { z } from 'zod';
import { listOf } from './sharing-context.ts';

/** The sharing scope a notice is written for: organisation ids and codes only (they may ride in a URL). */
export interface SharingScope {
  recipients: string[];
  purposes: ReferralPurpose[];
  categories: DataCategory[];
}

export const isUuid = (value: string) => z.uuid().safeParse(value).success;

export function scopeOf(fields: {
  destinataire?: unknown;
  finalite?: unknown;
  categorie?: unknown;
  ajout?: unknown;
}): SharingScope {
  const recipients = [...new Set([...listOf(fields.destinataire), ...listOf(fields.ajout)].filter(isUuid))];
  return {
    recipients,
    purposes: referralPurposes.filter((purpose) => listOf(fields.finalite).includes(purpose)),
    categories: dataCategories.filter((category) => listOf(fields.categorie).includes(category)),
  };
}

/** The query string of a scope, for the page's own links (ids and codes, nothing about the person). */
export function scopeQueryOf(scope: SharingScope): string {
  const params = new URLSearchParams();
  params.set('portee', '1');
  for (const id of scope.recipients) params.append('destinataire', id);
  for (const purpose of scope.purposes) params.append('finalite', purpose);
  for (const category of scope.categories) params.append('categorie', category);
  return params.toString();
}

export function printUrlOf(scope: SharingScope): string {
  const params = new URLSearchParams({
    recipientOrganisationIds: scope.recipients.join(','),
    purposes: scope.purposes.join(','),
    categories: scope.categories.join(','),
    format: 'html',
  });
  return `/api/v1/consent-notice?${params.toString()}`;
}
