import { z } from 'zod';

/**
 * Dates and instants a person or a client sends. ISO 8601 alone admits years PostgreSQL refuses (year 0) or
 * that mean nothing here (a birth in 0001, an appointment in 9999): they are refused as input, in French,
 * instead of failing in a query.
 */
export const plausibleYears = { first: 1900, last: 2200 } as const;

const message = `Date hors des années ${plausibleYears.first} à ${plausibleYears.last}.`;

function yearIsPlausible(iso: string): boolean {
  const year = Number(iso.slice(0, 4));
  return year >= plausibleYears.first && year <= plausibleYears.last;
}

/** An instant with its offset (`2026-03-02T09:00:00+01:00`), between 1900 and 2200. */
export const inputInstant = () => z.iso.datetime({ offset: true }).refine(yearIsPlausible, { message });

/** A calendar date (`1943-02-11`), between 1900 and 2200. */
export const inputDate = () => z.iso.date().refine(yearIsPlausible, { message });
