import { z } from 'zod';
import { AppError, type FieldIssue } from './app-error.ts';

/** French messages for people, without touching zod's global configuration (other services share it). */
const frenchErrors = z.locales.fr().localeError;

export function fieldIssuesOf(issues: unknown): FieldIssue[] {
  if (!Array.isArray(issues)) return [];
  return issues.map((issue: { path?: PropertyKey[]; message?: string }) => ({
    field: (issue.path ?? []).map(String).join('.'),
    message: issue.message ?? 'Valeur invalide',
  }));
}

/** Parses one part of a request; a mismatch is a 400 listing every invalid field. */
export function parseInput<T extends z.ZodType>(schema: T, value: unknown, part: 'body' | 'query' | 'path'): z.output<T> {
  const parsed = schema.safeParse(value, { error: frenchErrors });
  if (parsed.success) return parsed.data;
  const message = {
    body: 'Le corps de la requête contient des valeurs invalides.',
    query: 'Les paramètres de recherche contiennent des valeurs invalides.',
    path: 'L’adresse contient des valeurs invalides.',
  }[part];
  throw new AppError('validation_failed', message, {
    errors: fieldIssuesOf(parsed.error.issues),
  });
}
