declare module '@socialgouv/jours-feries' {
  /** French public holidays of a year, each at UTC midnight of its calendar date. */
  export default function joursFeries(year: number, options?: { alsace?: boolean }): Record<string, Date>;
}
