import { z } from 'zod';
import { auditOutcomes, listAuditEventsQuery } from '../features/audit/audit.schemas.ts';
import { exportPersonData } from '../features/audit/export-person-data.ts';
import { listAuditEvents } from '../features/audit/list-audit-events.ts';
import { whoSawPerson } from '../features/audit/who-saw-person.ts';
import { getOrganisationNames } from '../features/organisations/get-organisation-names.ts';
import { plausibleYears } from '../http/input-dates.ts';
import { personNotFound } from '../http/not-found.ts';
import { fieldIssuesOf } from '../http/validate.ts';
import { renderPage } from './page-context.ts';
import { type AnyPageRoute, definePage } from './page-route.ts';
import { parisStartOfDay } from './view-engine.ts';

const pageSize = 50;
const outcomeLabels: Record<(typeof auditOutcomes)[number], string> = { allowed: 'Autorisé', denied: 'Refusé', failed: 'Échec' };
const accessKindLabels = { read: 'Consultation', disclosure: 'Communication' } as const;

/** The filter form, as it comes in the query string: ids, codes and dates only. */
const auditFilterForm = z.object({
  acteur: z.string().trim().max(100).optional(),
  structure: z.string().trim().max(100).optional(),
  action: z.string().trim().max(80).optional(),
  sujet: z.string().trim().max(100).optional(),
  resultat: z.string().trim().max(20).optional(),
  du: z.string().trim().max(10).optional(),
  au: z.string().trim().max(10).optional(),
  page: z.string().trim().max(6).optional(),
});

const isoDate = /^\d{4}-\d{2}-\d{2}$/;
/**
 * Midnight in Paris of a `YYYY-MM-DD` day, `days` later; a day that is no calendar date, or outside the years
 * an instant may take, is handed on as typed for the query's schema to refuse in French.
 */
const parisDayStart = (day: string, days = 0): string => {
  const year = Number(day.slice(0, 4));
  const noon = new Date(`${day}T12:00:00Z`);
  if (year < plausibleYears.first || year > plausibleYears.last || Number.isNaN(noon.getTime())) return day;
  return parisStartOfDay(new Date(noon.getTime() + days * 24 * 60 * 60 * 1000)).toISOString();
};

const personIdOf = (value: unknown): string => {
  const parsed = z.uuid().safeParse(value);
  if (!parsed.success) throw personNotFound();
  return parsed.data;
};

/**
 * The audit for those who hold an audit permission: the journal with its filters, "who saw this
 * person's file", and the person's data export as a printable page. Same use cases as the API, so the
 * same scope and the same audit rows.
 */
export const auditLogPage = definePage({
  method: 'get',
  path: '/audit',
  access: { kind: 'acting', permission: 'audit.read' },
  handle: async ({ req, res, deps, call }) => {
    const form = auditFilterForm.catch({}).parse(req.query);
    const values = Object.fromEntries(
      Object.keys(auditFilterForm.shape).map((key) => [key, form[key as keyof typeof form] ?? '']),
    ) as Record<keyof typeof form, string>;
    const parsed = listAuditEventsQuery.safeParse({
      actorId: form.acteur || undefined,
      organisationId: form.structure || undefined,
      action: form.action || undefined,
      subjectId: form.sujet || undefined,
      outcome: form.resultat || undefined,
      from: form.du && isoDate.test(form.du) ? parisDayStart(form.du) : form.du || undefined,
      to: form.au && isoDate.test(form.au) ? parisDayStart(form.au, 1) : form.au || undefined,
      page: form.page || 1,
      pageSize,
    });
    if (!parsed.success) {
      await renderPage(
        deps,
        req,
        res,
        'audit',
        {
          title: 'Journal d’audit',
          values,
          outcomes: outcomeOptions(values.resultat),
          errors: fieldIssuesOf(parsed.error.issues),
          items: [],
          pager: null,
        },
        { status: 400 },
      );
      return;
    }
    const list = await listAuditEvents(deps.db, parsed.data, call);
    const names = await getOrganisationNames(
      deps.db,
      list.items.flatMap((item) => (item.organisationId ? [item.organisationId] : [])),
    );
    const link = (page: number) => `/audit?${new URLSearchParams({ ...values, page: String(page) }).toString()}`;
    await renderPage(deps, req, res, 'audit', {
      title: 'Journal d’audit',
      values,
      outcomes: outcomeOptions(values.resultat),
      errors: [],
      items: list.items.map((item) => ({
        ...item,
        outcomeLabel: outcomeLabels[item.outcome],
        organisationName: item.organisationId ? (names.get(item.organisationId) ?? item.organisationId) : '—',
      })),
      pager: {
        page: list.page,
        previous: list.page > 1 ? link(list.page - 1) : null,
        next: list.hasMore ? link(list.page + 1) : null,
      },
    });
  },
});

export const personAccessLogPage = definePage({
  method: 'get',
  path: '/personnes/:personId/acces',
  access: { kind: 'acting', permission: 'person.access_log' },
  handle: async ({ req, res, deps, call }) => {
    const log = await whoSawPerson(deps.db, personIdOf(req.params.personId), call);
    if (!log) throw personNotFound();
    await renderPage(deps, req, res, 'person-access-log', {
      title: 'Qui a consulté ce dossier',
      personId: log.personId,
      truncated: log.truncated,
      items: log.items.map((item) => ({ ...item, kindLabel: accessKindLabels[item.kind] })),
    });
  },
});

export const personDataExportPage = definePage({
  method: 'get',
  path: '/personnes/:personId/export',
  access: { kind: 'acting', permission: 'person.export' },
  handle: async ({ req, res, deps, call }) => {
    const exported = await exportPersonData(deps.db, personIdOf(req.params.personId), call);
    if (!exported) throw personNotFound();
    await renderPage(deps, req, res, 'person-export', {
      title: 'Export des données de la personne',
      exported,
      disclosures: exported.disclosures.map((item) => ({ ...item, kindLabel: accessKindLabels[item.kind] })),
    });
  },
});

export const auditPages: AnyPageRoute[] = [auditLogPage, personAccessLogPage, personDataExportPage];

function outcomeOptions(selected: string | undefined) {
  return auditOutcomes.map((value) => ({ value, label: outcomeLabels[value], selected: selected === value }));
}
