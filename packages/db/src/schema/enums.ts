/** The SQL of a CHECK constraint listing a closed vocabulary (codes of @parcours/vocabulary). */
export function sqlInList(values: readonly string[]): string {
  return values.map((value) => `'${value.replaceAll("'", "''")}'`).join(', ');
}
