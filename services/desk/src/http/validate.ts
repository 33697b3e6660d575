import { textFaultMessages, textFaultsIn } from '@parcours/vocabulary';
import { z } from 'zod';
import { AppError, type FieldIssue } from './app-error.ts';
import { frenchIssue, type IssueForWording } from './french-issues.ts';

/**
 * French sentences about the field (`french-issues.ts`), zod's French wording for the rare issue it leaves;
 * passed per parse, without touching zod's global configuration (other services share it).
 */
const zodFrench = z.locales.fr().localeError;
export const frenchErrors: z.core.$ZodErrorMap = (issue) => frenchIssue(issue as IssueForWording) ?? zodFrench(issue);

export function fieldIssuesOf(issues: unknown): FieldIssue[] {
  if (!Array.isArray(issues)) return [];
  return issues.map((issue: { path?: PropertyKey[]; message?: string }) => ({
    field: (issue.path ?? []).map(String).join('.'),
    message: issue.message ?? 'Valeur invalide',
  }));
}

const invalidPartMessages = {
  body: 'Le corps de la requête contient des valeurs invalides.',
  query: 'Les paramètres de recherche contiennent des valeurs invalides.',
  path: 'L’adresse contient des valeurs invalides.',
} as const;

/**
 * The text rule (`@parcours/vocabulary`'s `textFaultsIn`: no control character, well-formed Unicode) applied
 * to every string of one part of a request, before any schema: a 400 naming each field at fault.
 */
export function refuseFaultyText(value: unknown, part: 'body' | 'query' | 'path'): void {
  const faults = textFaultsIn(value);
  if (faults.length === 0) return;
  throw new AppError('validation_failed', invalidPartMessages[part], {
    errors: faults.map(({ field, fault }) => ({ field, message: textFaultMessages[fault] })),
  });
}

/** Parses one part of a request; a mismatch is a 400 listing every invalid field. */
export function parseInput<T extends z.ZodType>(schema: T, value: unknown, part: 'body' | 'query' | 'path'): z.output<T> {
  refuseFaultyText(value, part);
  const parsed = schema.safeParse(value, { error: frenchErrors });
  if (parsed.success) return parsed.data;
  throw new AppError('validation_failed', invalidPartMessages[part], {
    errors: fieldIssuesOf(parsed.error.issues),
  });
}
