/**
 * `db.execute()` answers an array on postgres.js and `{ rows }` on PGlite: one place smooths that over.
 */
export function rowsOf<T>(result: unknown): T[] {
  if (Array.isArray(result)) return result as T[];
  const rows = (result as { rows?: unknown }).rows;
  return Array.isArray(rows) ? (rows as T[]) : [];
}
