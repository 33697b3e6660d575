import type { CaseDetail } from '../features/cases/case.schemas.ts';

/** A form or query field that may come once, several times (checkboxes) or not at all. */
export function listOf(value: unknown): string[] {
  if (typeof value === 'string') return value === '' ? [] : [value];
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string' && item !== '');
  return [];
}

export function textOf(value: unknown): string {
  return typeof value === 'string' ? value.trim() : '';
}

/** The person a case is about, as its pages name them (never in a title or a URL). */
export function primaryOf(detail: CaseDetail) {
  const primary = detail.members.find((member) => member.role === 'primary') ?? detail.members[0];
  const name =
    primary?.familyName && primary.givenNames
      ? `${primary.givenNames} ${primary.familyName.toUpperCase()}`
      : 'Personne anonymisée';
  return { personId: primary?.personId ?? null, name };
}
