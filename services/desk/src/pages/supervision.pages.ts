import { bundleCodes, bundleLabel, receptionChannelLabels, receptionChannels } from '@parcours/vocabulary';
import type { Request } from 'express';
import { listTerritoryOrganisations } from '../features/organisations/list-territory-organisations.ts';
import { getSupervisionReport } from '../features/supervision/get-supervision-report.ts';
import {
  exportSupervisionTablePathOf,
  type FigureCell,
  type FigureTable,
  type SupervisionReport,
  type SupervisionReportName,
  supervisionQuery,
} from '../features/supervision/supervision.schemas.ts';
import { fieldIssuesOf } from '../http/validate.ts';
import { supervisionScopeOf } from '../policy/access-policy.ts';
import { renderPage } from './page-context.ts';
import { type AnyPageRoute, definePage } from './page-route.ts';

/** The four reports, under « Pilotage », with their French paths. */
const reports: { name: SupervisionReportName; path: string; label: string; lead: string }[] = [
  {
    name: 'delays',
    path: '/pilotage/delais',
    label: 'Délais',
    lead: 'Combien de temps chaque étape du parcours a pris, mesuré sur le journal des dossiers : médiane, 9e décile et part dans la cible du territoire.',
  },
  {
    name: 'breaches',
    path: '/pilotage/depassements',
    label: 'Dépassements',
    lead: 'Ce qui est en retard maintenant : orientations sans réponse après la relance, dossiers bloqués à une étape.',
  },
  {
    name: 'non-take-up',
    path: '/pilotage/non-recours',
    label: 'Non-recours',
    lead: 'Les droits repérés jusqu’à leur ouverture, les orientations perdues et pourquoi, les contacts restés sans suite.',
  },
  {
    name: 'activity',
    path: '/pilotage/activite',
    label: 'Activité',
    lead: 'Contacts, dossiers et orientations par mois, structure d’accueil, canal, bouquet de services et territoire.',
  },
];

/** The filter form's names (French, in the query string) and the API query they map to. */
const formNames = {
  du: 'from',
  au: 'to',
  structure: 'organisation',
  partenaire: 'partner',
  bouquet: 'bundle',
  canal: 'channel',
} as const;
type FormName = keyof typeof formNames;

function formValuesOf(req: Request): Record<FormName, string> {
  return Object.fromEntries(
    (Object.keys(formNames) as FormName[]).map((name) => {
      const value = req.query[name];
      return [name, typeof value === 'string' ? value.trim().slice(0, 60) : ''];
    }),
  ) as Record<FormName, string>;
}

const numberFormat = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 1 });

function cellView(cell: FigureCell, unit: string, k: number) {
  // A hidden count reads « < k »; a delay or a share hidden with its count reads « masqué ».
  if (cell.hidden) return { text: unit === 'count' ? `< ${k}` : 'masqué', hidden: true };
  if (cell.value === null) return { text: '—', hidden: false };
  return { text: `${numberFormat.format(cell.value)}${unit === 'percent' ? ' %' : ''}`, hidden: false };
}

/** A table as the page shows it: formatted cells, a chart of the shown values of one column, the CSV link. */
function tableView(table: FigureTable, report: SupervisionReport, csvQuery: string) {
  const k = report.minimumCellCount;
  const chartIndex = table.columns.findIndex((column) => column.key === table.chartColumn);
  const charted =
    chartIndex < 0 ? [] : table.rows.filter((row) => row.cells[chartIndex]?.value != null && !row.cells[chartIndex]?.hidden);
  const chartColumn = table.columns[chartIndex];
  return {
    id: table.id,
    title: table.title,
    help: table.help,
    headers: table.columns.map((column) => column.label),
    rows: table.rows.map((row) => ({
      label: row.label,
      cells: row.cells.map((cell, c) => cellView(cell, table.columns[c]?.unit ?? 'count', k)),
    })),
    total: table.total
      ? {
          label: table.total.label,
          cells: table.total.cells.map((cell, c) => cellView(cell, table.columns[c]?.unit ?? 'count', k)),
        }
      : null,
    empty: table.rows.length === 0,
    // DSFR Chart reads its data from attributes holding JSON lists; only shown values are drawn.
    chart:
      chartColumn && charted.length > 1
        ? {
            x: JSON.stringify([charted.map((row) => row.label)]),
            y: JSON.stringify([charted.map((row) => row.cells[chartIndex]?.value ?? 0)]),
            name: JSON.stringify([chartColumn.label]),
            unit: chartColumn.unit === 'percent' ? '%' : chartColumn.unit === 'days' ? 'jours' : '',
            line: table.id === 'activity-month',
          }
        : null,
    csvHref: `${exportSupervisionTablePathOf(report.report, table.id)}${csvQuery}`,
  };
}

const supervisionPage = (report: (typeof reports)[number]) =>
  definePage({
    method: 'get',
    path: report.path,
    access: { kind: 'acting', permission: 'supervision.read' },
    handle: async ({ req, res, deps, call }) => {
      const values = formValuesOf(req);
      const apiQuery = Object.fromEntries(
        (Object.keys(formNames) as FormName[])
          .filter((name) => values[name] !== '')
          .map((name) => [formNames[name], values[name]]),
      );
      const organisations = await listTerritoryOrganisations(deps.db, call.agent.territoryId);
      // Not a supervisor: the figures are the caller's organisation's part (the policy's scope).
      const scope = supervisionScopeOf(call.agent);
      const scopeOrganisationName = scope.organisationId
        ? (organisations.find((organisation) => organisation.id === scope.organisationId)?.name ?? null)
        : null;
      const common = {
        title: `Pilotage — ${report.label}`,
        report: { ...report, current: true },
        reports: reports.map((candidate) => ({ ...candidate, current: candidate.name === report.name })),
        values,
        filters: {
          scopeOrganisationName,
          organisations: organisations.map((organisation) => ({
            id: organisation.id,
            name: organisation.name,
            selectedAsEntry: organisation.id === values.structure,
            selectedAsPartner: organisation.id === values.partenaire,
          })),
          bundles: bundleCodes.map((code) => ({ code, label: bundleLabel(code), selected: code === values.bouquet })),
          channels: receptionChannels.map((code) => ({
            code,
            label: receptionChannelLabels[code],
            selected: code === values.canal,
          })),
        },
      };
      const parsed = supervisionQuery.safeParse(apiQuery);
      if (!parsed.success) {
        const formNameOf = Object.fromEntries(Object.entries(formNames).map(([form, api]) => [api, form]));
        const errors = fieldIssuesOf(parsed.error.issues).map((issue) => ({
          ...issue,
          anchor: `filtre-${formNameOf[issue.field] ?? 'du'}`,
        }));
        await renderPage(deps, req, res, 'supervision', { ...common, errors, tables: [] }, { status: 400, nav: 'supervision' });
        return;
      }
      const built = await getSupervisionReport(deps.db, report.name, parsed.data, call);
      const csvQuery = Object.keys(apiQuery).length > 0 ? `?${new URLSearchParams(apiQuery).toString()}` : '';
      await renderPage(
        deps,
        req,
        res,
        'supervision',
        {
          ...common,
          errors: [],
          period: { from: built.from, to: built.to },
          k: built.minimumCellCount,
          foldedAt: new Date(built.foldedAt),
          tables: built.tables.map((table) => tableView(table, built, csvQuery)),
          ownCases: built.ownCases.map((item) => ({
            ...item,
            since: new Date(item.since),
            kindLabel:
              item.kind === 'stalled'
                ? 'Bloqué à une étape'
                : item.kind === 'escalation'
                  ? 'Orientation sans réponse (escaladée)'
                  : 'Orientation sans réponse (relancée)',
          })),
          showOwnCases: report.name === 'breaches',
        },
        { nav: 'supervision' },
      );
    },
  });

/** « Pilotage » lands on the delays. */
export const supervisionHomePage = definePage({
  method: 'get',
  path: '/pilotage',
  access: { kind: 'acting', permission: 'supervision.read' },
  handle: async ({ res }) => {
    res.redirect(303, '/pilotage/delais');
  },
});

export const supervisionPages: AnyPageRoute[] = [supervisionHomePage, ...reports.map(supervisionPage)];
