import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import Handlebars from 'handlebars';
import type { DeskHeader } from '../features/agents/get-desk-header.ts';
import { communeLabelOf } from '../features/communes/communes.ts';

const parisDateTime = new Intl.DateTimeFormat('fr-FR', {
  timeZone: 'Europe/Paris',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});
const parisDate = new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', day: 'numeric', month: 'long', year: 'numeric' });
/** A calendar date (`1980-04-12`) has no time zone: it is formatted as written, at noon UTC. */
const calendarDate = new Intl.DateTimeFormat('fr-FR', { timeZone: 'UTC', day: 'numeric', month: 'long', year: 'numeric' });
const parisIsoDate = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/Paris',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

function toDate(value: unknown): Date | null {
  if (value instanceof Date) return value;
  if (typeof value === 'string' || typeof value === 'number') {
    const date = new Date(value);
    return Number.isNaN(date.getTime()) ? null : date;
  }
  return null;
}

/** Instants already formatted: a timeline's events never change, and its page is read again and again. */
const formattedInstants = new Map<number, string>();
const formattedInstantsLimit = 20_000;

/** `12 avril 2026 à 09:30`, in Paris time. */
export function formatDateTime(value: unknown): string {
  const date = toDate(value);
  if (!date) return '';
  const time = date.getTime();
  let text = formattedInstants.get(time);
  if (text === undefined) {
    text = parisDateTime.format(date);
    if (formattedInstants.size >= formattedInstantsLimit) formattedInstants.clear();
    formattedInstants.set(time, text);
  }
  return text;
}

/** `12 avril 2026`, in Paris time. */
export function formatDate(value: unknown): string {
  const date = toDate(value);
  return date ? parisDate.format(date) : '';
}

/** `1980-04-12` → `12 avril 1980`. */
export function formatCalendarDate(value: unknown): string {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return '';
  return calendarDate.format(new Date(`${value}T12:00:00Z`));
}

/** The ISO `datetime` attribute of a `<time>` element, for machines; people read the French text. */
export function isoOf(value: unknown): string {
  return toDate(value)?.toISOString() ?? '';
}

/** Today's date in Paris, `YYYY-MM-DD` (the `max` of a birth date field). */
export function parisTodayOf(now: Date): string {
  return parisIsoDate.format(now);
}

export interface ViewEngine {
  /** Renders a page inside the layout. `page` is a file name of `views/pages` without `.hbs`. */
  render(page: string, model: PageModel): string;
}

/** What every page gives the layout. */
export interface PageModel {
  /** The document title: never a person's name. */
  title: string;
  layout: LayoutModel;
  [key: string]: unknown;
}

export interface LayoutModel {
  assets: { dsfrBase: string; deskCss: string; dsfrChartBase: string; supervisionJs: string; directoryImportJs: string };
  csrfToken: string;
  /** Null on the login page. */
  agent: DeskHeader | null;
  /** Which item of the main navigation is the current page. */
  nav: 'work' | 'persons' | 'contacts' | 'directory' | 'partner' | 'supervision' | 'operations' | null;
  flash: { kind: 'success' | 'info' | 'warning' | 'error'; message: string } | null;
}

/**
 * One handlebars instance for the desk, compiled once at start: strict (a misspelt field throws in
 * tests instead of printing nothing), its own helpers and partials, nothing registered globally.
 * Escaping stays on: the only unescaped output is the diagram, which the app draws itself.
 */
export function createViewEngine(viewsDir: string): ViewEngine {
  const handlebars = Handlebars.create();
  handlebars.registerHelper({
    formatDateTime,
    formatDate,
    formatCalendarDate,
    iso: isoOf,
    eq: (a: unknown, b: unknown) => a === b,
    not: (a: unknown) => !a,
    or: (...args: unknown[]) => args.slice(0, -1).some(Boolean),
    and: (...args: unknown[]) => args.slice(0, -1).every(Boolean),
    plural: (count: unknown, one: string, many: string) => (count === 1 ? one : many),
    concat: (...args: unknown[]) => args.slice(0, -1).map(String).join(''),
    // A commune by its name, its INSEE code beside it: « Gap (05061) ».
    communeLabel: (code: unknown) => communeLabelOf(typeof code === 'string' ? code : null),
  });
  const options: CompileOptions = { strict: true, preventIndent: true };
  for (const file of readdirSync(join(viewsDir, 'partials'))) {
    if (!file.endsWith('.hbs')) continue;
    handlebars.registerPartial(basename(file, '.hbs'), readFileSync(join(viewsDir, 'partials', file), 'utf8'));
  }
  const layout = handlebars.compile(readFileSync(join(viewsDir, 'layouts', 'main.hbs'), 'utf8'), options);
  const pages = new Map<string, HandlebarsTemplateDelegate>();
  for (const file of readdirSync(join(viewsDir, 'pages'))) {
    if (!file.endsWith('.hbs')) continue;
    pages.set(basename(file, '.hbs'), handlebars.compile(readFileSync(join(viewsDir, 'pages', file), 'utf8'), options));
  }
  return {
    render(page, model) {
      const template = pages.get(page);
      if (!template) throw new Error(`Unknown view ${page}`);
      const body = template(model);
      return layout({ ...model, body });
    },
  };
}

const parisOffset = new Intl.DateTimeFormat('en-US', { timeZone: 'Europe/Paris', timeZoneName: 'longOffset' });

/** Midnight of the Paris day holding `now` (the day's counts). */
export function parisStartOfDay(now: Date): Date {
  const offset =
    parisOffset
      .formatToParts(now)
      .find((part) => part.type === 'timeZoneName')
      ?.value.replace('GMT', '') || '+00:00';
  return new Date(`${parisTodayOf(now)}T00:00:00${offset}`);
}
