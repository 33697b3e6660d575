import { type Executor, organisations } from '@parcours/db';
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { CaseDetail } from '../cases/case.schemas.ts';

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

/** Organisation names (staff data, not person data), by id. */
export async function organisationNamesOf(db: Executor, ids: Iterable<string>): Promise<Map<string, string>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const rows = await db
    .select({ id: organisations.id, name: organisations.name })
    .from(organisations)
    .where(inArray(organisations.id, unique));
  return new Map(rows.map((row) => [row.id, row.name]));
}

/** Kinds of organisation that welcome people for a visio appointment with a partner (points d'accueil). */
const receptionPointKinds = ['france_services', 'ccas', 'departement_social_service'];

/** The reception points of the territory an organisation belongs to, by name. */
export async function receptionPointsNear(db: Executor, organisationId: string) {
  const [home] = await db
    .select({ territoryId: organisations.territoryId })
    .from(organisations)
    .where(eq(organisations.id, organisationId));
  if (!home) return [];
  return db
    .select({ id: organisations.id, name: organisations.name })
    .from(organisations)
    .where(and(eq(organisations.territoryId, home.territoryId), inArray(organisations.kind, receptionPointKinds)))
    .orderBy(asc(organisations.name));
}

/** The organisations of a territory, by name: recipients of a consent, new référents. */
export function territoryOrganisationsOf(db: Executor, territoryId: string) {
  return db
    .select({ id: organisations.id, name: organisations.name, usesParcours: organisations.usesParcours })
    .from(organisations)
    .where(eq(organisations.territoryId, territoryId))
    .orderBy(asc(organisations.name));
}
