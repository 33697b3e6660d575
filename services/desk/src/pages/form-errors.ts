import type { z } from 'zod';
import { frenchErrors } from '../http/validate.ts';

export type FieldErrors = Record<string, string>;

/**
 * Parses a submitted form: empty fields are absent (an HTML form always sends every field), `_csrf`
 * and the given extra keys are dropped. Returns the data or one French message per field.
 */
export function parseForm<T extends z.ZodType>(
  schema: T,
  body: unknown,
  keep: readonly string[],
): { ok: true; data: z.output<T> } | { ok: false; errors: FieldErrors; values: Record<string, string> } {
  const values: Record<string, string> = {};
  const input: Record<string, string> = {};
  for (const key of keep) {
    const raw = (body as Record<string, unknown> | undefined)?.[key];
    const value = typeof raw === 'string' ? raw.trim() : '';
    values[key] = value;
    if (value !== '') input[key] = value;
  }
  const parsed = schema.safeParse(input, { error: frenchErrors });
  if (parsed.success) return { ok: true, data: parsed.data };
  const errors: FieldErrors = {};
  for (const issue of parsed.error.issues) {
    const field = String(issue.path[0] ?? '');
    // The same French sentence about the field as the API gives (« Le nom de famille est obligatoire. »).
    errors[field] ??= issue.message;
  }
  return { ok: false, errors, values };
}

/** The values a form is re-shown with: every key present, empty when not submitted. */
export function emptyValues(keys: readonly string[]): Record<string, string> {
  return Object.fromEntries(keys.map((key) => [key, '']));
}
