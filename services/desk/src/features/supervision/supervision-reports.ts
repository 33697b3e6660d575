import { rightsCatalogue } from '@parcours/assessment';
import { monthOf } from '@parcours/calendar';
import { type Transaction, territories } from '@parcours/db';
import { journeyLabels, referralLabels } from '@parcours/journey-diagram';
import {
  addHistogram,
  type CountMeasure,
  type DelayStage,
  delayStageDefinitions,
  delayStages,
  lostReferralStatuses,
  type SupervisionSettings,
  supervisionSettingsOf,
} from '@parcours/supervision';
import {
  type Breakdown,
  type CountRow,
  readBreachedCasesOf,
  readBreaches,
  readCounts,
  readDelayHistograms,
  readProjectionLag,
  type SupervisionFilter,
  type SupervisionScope,
} from '@parcours/supervision-store';
import {
  type BundleCode,
  bundleLabel,
  closureReasons,
  declineReasons,
  nonTakeUpReasons,
  type ReceptionChannel,
  receptionChannelLabels,
} from '@parcours/vocabulary';
import { eq } from 'drizzle-orm';
import { AppError } from '../../http/app-error.ts';
import { readTerritoryGeography } from '../directory/territory-geography.ts';
import { getOrganisationNames } from '../organisations/get-organisation-names.ts';
import { countTable, delayTable } from './figure-tables.ts';
import type { FigureTable, SupervisionQuery, SupervisionReport, SupervisionReportName } from './supervision.schemas.ts';

/** The longest period one report spans, so that no request sums more than three years of cells. */
const longestPeriodMonths = 36;

interface ReportContext {
  tx: Transaction;
  scope: SupervisionScope;
  filter: SupervisionFilter;
  settings: SupervisionSettings;
  /** The caller's organisation: the drill-down lists only its own cases. */
  callerOrganisationId: string;
  now: Date;
}

const monthIndex = (month: string) => Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1;
const monthOfIndex = (index: number) => `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;

/** The period asked for, as first days of months; by default the twelve months up to the current one. */
export function periodOf(query: SupervisionQuery, now: Date): { from: string; to: string } {
  const to = query.to ?? monthOf(now).slice(0, 7);
  const from = query.from ?? monthOfIndex(monthIndex(to) - 11);
  if (monthIndex(to) - monthIndex(from) + 1 > longestPeriodMonths) {
    throw new AppError('validation_failed', 'La période est trop longue.', {
      errors: [{ field: 'from', message: `Une période de ${longestPeriodMonths} mois au plus` }],
    });
  }
  return { from, to };
}

export async function reportContextOf(
  tx: Transaction,
  scope: SupervisionScope,
  query: SupervisionQuery,
  callerOrganisationId: string,
  now: Date,
): Promise<ReportContext> {
  const period = periodOf(query, now);
  const [territory] = await tx
    .select({ settings: territories.settings })
    .from(territories)
    .where(eq(territories.id, scope.territoryId));
  return {
    tx,
    scope,
    filter: {
      fromMonth: `${period.from}-01`,
      toMonth: `${period.to}-01`,
      entryOrganisationId: query.organisation ?? null,
      partnerOrganisationId: query.partner ?? null,
      bundle: query.bundle ?? null,
      channel: query.channel ?? null,
    },
    settings: supervisionSettingsOf(territory?.settings),
    callerOrganisationId,
    now,
  };
}

const noOrganisation = '(sans structure)';
const dayMs = 86_400_000;

async function labelsOf(context: ReportContext, breakdown: Breakdown, keys: readonly string[]): Promise<Map<string, string>> {
  if (breakdown === 'partner' || breakdown === 'entryOrganisation') {
    const names = await getOrganisationNames(
      context.tx,
      keys.filter((key) => key !== ''),
    );
    return new Map(keys.map((key) => [key, names.get(key) ?? noOrganisation]));
  }
  if (breakdown === 'channel') return new Map(keys.map((key) => [key, receptionChannelLabels[key as ReceptionChannel] ?? key]));
  if (breakdown === 'bundle') return new Map(keys.map((key) => [key, key ? bundleLabel(key as BundleCode) : 'Sans bouquet']));
  if (breakdown === 'month') return new Map(keys.map((key) => [key, monthLabel(key)]));
  return new Map(keys.map((key) => [key, key]));
}

const monthNames = [
  'janvier',
  'février',
  'mars',
  'avril',
  'mai',
  'juin',
  'juillet',
  'août',
  'septembre',
  'octobre',
  'novembre',
  'décembre',
];
const monthLabel = (month: string) => `${monthNames[Number(month.slice(5, 7)) - 1]} ${month.slice(0, 4)}`;

const sortedByLabel = <T extends { label: string }>(rows: T[]) => rows.sort((a, b) => a.label.localeCompare(b.label, 'fr'));

// ——— Delays ———

async function delayTables(context: ReportContext): Promise<FigureTable[]> {
  const k = context.settings.minimumCellCount;
  const targetOf = (stage: DelayStage) => {
    const target = delayStageDefinitions[stage].target;
    return target ? context.settings.targets[target] : null;
  };
  const histograms = async (breakdown: Breakdown, stages?: readonly DelayStage[]) => {
    const rows = await readDelayHistograms(context.tx, context.scope, context.filter, breakdown, stages);
    const byStageGroup = new Map<string, { calendar: Map<number, number>; working: Map<number, number> }>();
    for (const row of rows) {
      const key = `${row.stage}|${row.group}`;
      let entry = byStageGroup.get(key);
      if (!entry) {
        entry = { calendar: new Map(), working: new Map() };
        byStageGroup.set(key, entry);
      }
      const histogram = row.dayKind === 'calendar' ? entry.calendar : entry.working;
      histogram.set(row.days, (histogram.get(row.days) ?? 0) + row.count);
    }
    return byStageGroup;
  };
  // Every stage is broken down by one dimension (the partner where the partner answers for it, the entry
  // organisation otherwise): two queries, and the overview is their sum (a third query would read it all again).
  const perPartner = delayStages.filter((stage) => delayStageDefinitions[stage].perPartner);
  const perEntry = delayStages.filter((stage) => !delayStageDefinitions[stage].perPartner);
  const byPartner = await histograms('partner', perPartner);
  const byEntry = await histograms('entryOrganisation', perEntry);
  const overall = new Map<string, { calendar: Map<number, number>; working: Map<number, number> }>();
  for (const grouped of [byPartner, byEntry]) {
    for (const [key, histogram] of grouped) {
      const stageKey = `${key.split('|')[0]}|`;
      const sum = overall.get(stageKey) ?? { calendar: new Map(), working: new Map() };
      addHistogram(sum.calendar, histogram.calendar);
      addHistogram(sum.working, histogram.working);
      overall.set(stageKey, sum);
    }
  }
  const tables: FigureTable[] = [
    delayTable({
      id: 'stages',
      title: 'Délais par étape du parcours',
      help: delayStages
        .map((stage) => `${delayStageDefinitions[stage].label} : ${delayStageDefinitions[stage].formula}`)
        .join(' '),
      rows: delayStages.map((stage) => ({
        key: stage,
        label: delayStageDefinitions[stage].label,
        calendar: overall.get(`${stage}|`)?.calendar ?? new Map(),
        working: overall.get(`${stage}|`)?.working ?? new Map(),
      })),
      targetDays: null,
      k,
      withTotal: false,
    }),
  ];
  for (const [stages, breakdown, grouped] of [
    [perEntry, 'entryOrganisation', byEntry],
    [perPartner, 'partner', byPartner],
  ] as const) {
    const groups = [...grouped.keys()].map((key) => key.split('|')[1] as string);
    const labels = await labelsOf(context, breakdown, [...new Set(groups)]);
    for (const stage of stages) {
      const rows = sortedByLabel(
        [...grouped.entries()]
          .filter(([key]) => key.startsWith(`${stage}|`))
          .map(([key, histograms]) => {
            const group = key.split('|')[1] as string;
            return { key: group, label: labels.get(group) ?? group, ...histograms };
          }),
      );
      const definition = delayStageDefinitions[stage];
      tables.push(
        delayTable({
          id: `stage-${stage.replaceAll('_', '-')}`,
          title: `${definition.label}, par ${breakdown === 'partner' ? 'partenaire' : 'structure d’accueil'}`,
          help: definition.formula,
          rows,
          targetDays: targetOf(stage),
          k,
        }),
      );
    }
  }
  return tables;
}

// ——— Breaches ———

async function breachTables(context: ReportContext): Promise<{ tables: FigureTable[]; ownCases: SupervisionReport['ownCases'] }> {
  const k = context.settings.minimumCellCount;
  const breaches = await readBreaches(context.tx, context.scope);
  const ageInDays = (since: Date | null) => (since ? Math.floor((context.now.getTime() - since.getTime()) / dayMs) : null);
  const partners = [...new Set(breaches.filter((row) => row.kind !== 'stalled').map((row) => row.partnerOrganisationId))];
  const names = await labelsOf(context, 'partner', partners);
  const referralRows = sortedByLabel(
    partners.map((partner) => {
      const of = (kind: 'reminder' | 'escalation') =>
        breaches.find((row) => row.kind === kind && row.partnerOrganisationId === partner);
      return {
        key: partner,
        label: names.get(partner) ?? partner,
        counts: [of('reminder')?.count ?? 0, of('escalation')?.count ?? 0],
        oldest: Math.max(
          ageInDays(of('reminder')?.oldestSince ?? null) ?? 0,
          ageInDays(of('escalation')?.oldestSince ?? null) ?? 0,
        ),
      };
    }),
  );
  const referralTable = countTable({
    id: 'referrals-unanswered',
    title: 'Orientations sans réponse après la relance, par partenaire',
    help: 'Orientations envoyées toujours sans décision du partenaire alors que le délai de relance (ou, plus tard, d’escalade) est dépassé. « Plus ancienne » : jours depuis l’envoi de la plus ancienne.',
    columns: [
      { key: 'reminded', label: 'Relancées' },
      { key: 'escalated', label: 'Escaladées' },
    ],
    rows: referralRows,
    k,
    chartColumn: 'total',
  });
  // The oldest age rides beside each row, shown only where the row's total is.
  referralTable.columns.push({ key: 'oldestDays', label: 'Plus ancienne (jours)', unit: 'days' });
  referralTable.rows.forEach((row, r) => {
    const totalShown = !(row.cells[2]?.hidden ?? true);
    row.cells.push(totalShown ? { value: referralRows[r]?.oldest ?? null, hidden: false } : { value: null, hidden: true });
  });
  if (referralTable.total) referralTable.total.cells.push({ value: null, hidden: false });

  const stalled = breaches.filter((row) => row.kind === 'stalled');
  const stalledTable = countTable({
    id: 'cases-stalled',
    title: 'Dossiers bloqués à une étape au-delà de son délai',
    help: 'Dossiers restés à l’accueil, à l’évaluation ou à l’orientation après l’échéance de l’étape (délais du territoire, en jours ouvrés).',
    columns: [{ key: 'cases', label: 'Dossiers' }],
    rows: stalled.map((row) => ({
      key: row.stage,
      label: journeyLabels[`active.${row.stage}`] ?? row.stage,
      counts: [row.count],
    })),
    k,
  });
  const ownCases = (await readBreachedCasesOf(context.tx, context.scope.territoryId, context.callerOrganisationId)).map(
    (row) => ({ caseId: row.caseId, kind: row.kind, since: row.since.toISOString() }),
  );
  return { tables: [referralTable, stalledTable], ownCases };
}

// ——— Non-take-up ———

const sumOf = (rows: readonly CountRow[], measure: CountMeasure, where: (row: CountRow) => boolean = () => true) =>
  rows.filter((row) => row.measure === measure && where(row)).reduce((sum, row) => sum + row.count, 0);

const rightLabel = (code: string) => (rightsCatalogue as Record<string, { label: string }>)[code]?.label ?? code;

async function nonTakeUpTables(context: ReportContext): Promise<FigureTable[]> {
  const k = context.settings.minimumCellCount;
  const funnelMeasures: CountMeasure[] = [
    'right_detected',
    'right_requested',
    'right_opened',
    'right_refused',
    'right_not_requested',
  ];
  const funnelColumns = [
    { key: 'identified', label: 'Repérés, sans suite encore' },
    { key: 'requested', label: 'Demandés, en attente' },
    { key: 'opened', label: 'Ouverts' },
    { key: 'refused', label: 'Refusés' },
    { key: 'notRequested', label: 'Non demandés' },
  ];
  // The funnel is stored as nested steps; the table shows disjoint ones, which add up to the rights detected.
  const disjoint = (rows: CountRow[]) => {
    const detected = sumOf(rows, 'right_detected');
    const requested = sumOf(rows, 'right_requested');
    const opened = sumOf(rows, 'right_opened');
    const refused = sumOf(rows, 'right_refused');
    const notRequested = sumOf(rows, 'right_not_requested');
    return [detected - requested - notRequested, requested - opened - refused, opened, refused, notRequested];
  };
  const shares = [
    { key: 'openedRate', label: 'Taux d’ouverture (%)', part: 'opened', whole: 'total' as const },
    { key: 'nonTakeUpRate', label: 'Taux de non-recours (%)', part: 'notRequested', whole: 'total' as const },
  ];
  const byRight = await readCounts(context.tx, context.scope, context.filter, funnelMeasures, 'none', { byDetail: true });
  const rights = [...new Set(byRight.map((row) => row.code))];
  const tables: FigureTable[] = [
    countTable({
      id: 'rights-funnel',
      title: 'Droits potentiels : du repérage à l’ouverture',
      help: 'Droits potentiels repérés à l’évaluation en vigueur des dossiers ouverts dans la période (cohortes par mois d’entrée), selon leur suivi : en attente, ouverts, refusés, ou non demandés (non-recours, avec sa raison). Taux d’ouverture = ouverts ÷ repérés ; taux de non-recours = non demandés ÷ repérés.',
      columns: funnelColumns,
      rows: sortedByLabel(
        rights.map((right) => ({
          key: right,
          label: rightLabel(right),
          counts: disjoint(byRight.filter((row) => row.code === right)),
        })),
      ),
      k,
      shares,
      chartColumn: 'notRequested',
    }),
  ];
  const byCohort = await readCounts(context.tx, context.scope, context.filter, funnelMeasures, 'month', { byCode: false });
  const cohorts = [...new Set(byCohort.map((row) => row.group))].sort();
  tables.push(
    countTable({
      id: 'rights-cohorts',
      title: 'Droits potentiels par mois d’entrée (cohortes)',
      help: 'Le même suivi, par mois d’ouverture des dossiers : une cohorte récente a naturellement plus de droits encore en attente.',
      columns: funnelColumns,
      rows: cohorts.map((month) => ({
        key: month,
        label: monthLabel(month),
        counts: disjoint(byCohort.filter((row) => row.group === month)),
      })),
      k,
      shares,
      chartColumn: 'notRequested',
    }),
  );
  const reasons = Object.keys(nonTakeUpReasons) as (keyof typeof nonTakeUpReasons)[];
  tables.push(
    countTable({
      id: 'non-take-up-reasons',
      title: 'Raisons du non-recours',
      help: 'Droits potentiels non demandés, par raison (typologie de l’Odenore : non-connaissance, non-demande, non-réception, non-proposition).',
      columns: [{ key: 'rights', label: 'Droits non demandés' }],
      rows: reasons.map((reason) => ({
        key: reason,
        label: nonTakeUpReasons[reason],
        counts: [sumOf(byRight, 'right_not_requested', (row) => row.detail === reason)],
      })),
      k,
    }),
  );

  const ended = await readCounts(context.tx, context.scope, context.filter, ['referral_ended'], 'partner', { byDetail: true });
  const statuses = [...lostReferralStatuses, 'completed'] as const;
  const partners = [...new Set(ended.map((row) => row.group))];
  const partnerNames = await labelsOf(context, 'partner', partners);
  tables.push(
    countTable({
      id: 'referrals-lost',
      title: 'Orientations perdues, par partenaire',
      help: 'Orientations envoyées arrivées à leur fin dans la période : refusées, expirées sans réponse, absence au rendez-vous, abandonnées, réorientées, annulées — et, pour comparaison, terminées.',
      columns: statuses.map((status) => ({ key: status, label: referralLabels[status] ?? status })),
      rows: sortedByLabel(
        partners.map((partner) => ({
          key: partner,
          label: partnerNames.get(partner) ?? partner,
          counts: statuses.map((status) => sumOf(ended, 'referral_ended', (row) => row.group === partner && row.code === status)),
        })),
      ),
      k,
      shares: [{ key: 'lostRate', label: 'Part refusée (%)', part: 'declined', whole: 'total' }],
      chartColumn: 'declined',
    }),
  );
  const declineCodes = Object.keys(declineReasons) as (keyof typeof declineReasons)[];
  tables.push(
    countTable({
      id: 'decline-reasons',
      title: 'Refus des partenaires, par motif',
      help: 'Orientations refusées dans la période, par motif codé du partenaire (dont « personne injoignable »).',
      columns: [{ key: 'declined', label: 'Refus' }],
      rows: declineCodes.map((reason) => ({
        key: reason,
        label: declineReasons[reason],
        counts: [sumOf(ended, 'referral_ended', (row) => row.code === 'declined' && row.detail === reason)],
      })),
      k,
    }),
  );
  const closed = await readCounts(context.tx, context.scope, context.filter, ['case_closed'], 'none');
  const closureCodes = Object.keys(closureReasons) as (keyof typeof closureReasons)[];
  tables.push(
    countTable({
      id: 'closures',
      title: 'Dossiers clos, par motif',
      help: 'Dossiers clos dans la période, par motif de clôture ; « Perte de contact » compte aussi les clôtures automatiques après la suspension.',
      columns: [{ key: 'cases', label: 'Dossiers' }],
      rows: closureCodes.map((reason) => ({
        key: reason,
        label: closureReasons[reason],
        counts: [sumOf(closed, 'case_closed', (row) => row.code === reason)],
      })),
      k,
    }),
  );
  const contacts = await readCounts(context.tx, context.scope, context.filter, ['contact'], 'month');
  const contactMonths = [...new Set(contacts.map((row) => row.group))].sort();
  tables.push(
    countTable({
      id: 'quick-contacts',
      title: 'Contacts de premier niveau restés sans dossier',
      help: 'Contacts enregistrés à l’accueil, par mois : répondus sur place (jamais devenus un dossier) ou transformés en dossier.',
      columns: [
        { key: 'answered', label: 'Sans dossier' },
        { key: 'caseOpened', label: 'Devenus un dossier' },
      ],
      rows: contactMonths.map((month) => ({
        key: month,
        label: monthLabel(month),
        counts: [
          sumOf(contacts, 'contact', (row) => row.group === month && row.code === 'answered'),
          sumOf(contacts, 'contact', (row) => row.group === month && row.code === 'case_opened'),
        ],
      })),
      k,
      shares: [{ key: 'answeredRate', label: 'Part sans dossier (%)', part: 'answered', whole: 'total' }],
      chartColumn: 'answered',
    }),
  );
  return tables;
}

// ——— Activity ———

async function activityTables(context: ReportContext): Promise<FigureTable[]> {
  const k = context.settings.minimumCellCount;
  const measures: CountMeasure[] = ['contact', 'case_opened', 'referral_sent'];
  const columns = [
    { key: 'contacts', label: 'Contacts' },
    { key: 'cases', label: 'Dossiers ouverts' },
    { key: 'referrals', label: 'Orientations envoyées' },
  ];
  const tables: FigureTable[] = [];
  const breakdowns: { breakdown: Breakdown; id: string; title: string }[] = [
    { breakdown: 'month', id: 'activity-month', title: 'Activité par mois' },
    { breakdown: 'entryOrganisation', id: 'activity-organisation', title: 'Activité par structure d’accueil' },
    { breakdown: 'channel', id: 'activity-channel', title: 'Activité par canal' },
    { breakdown: 'bundle', id: 'activity-bundle', title: 'Activité par bouquet de services' },
  ];
  for (const { breakdown, id, title } of breakdowns) {
    const rows = await readCounts(context.tx, context.scope, context.filter, measures, breakdown, { byCode: false });
    const groups = [...new Set(rows.map((row) => row.group))];
    const labels = await labelsOf(context, breakdown, groups);
    const tableRows = groups.map((group) => ({
      key: group,
      label: labels.get(group) ?? group,
      counts: measures.map((measure) => sumOf(rows, measure, (row) => row.group === group)),
    }));
    tables.push(
      countTable({
        id,
        title,
        help: 'Contacts de premier niveau et dossiers ouverts au mois de leur enregistrement, à la structure qui les a reçus ; orientations au mois de leur envoi. Le bouquet est le thème d’un contact ou le premier bouquet du service destinataire d’une orientation (un dossier n’en a pas).',
        columns,
        rows: breakdown === 'month' ? tableRows.sort((a, b) => a.key.localeCompare(b.key)) : sortedByLabel(tableRows),
        k,
        chartColumn: breakdown === 'month' ? 'cases' : 'contacts',
      }),
    );
  }
  // Communes are shown with their names and gathered in their bassin de vie (the territory's own list).
  const byCommune = await readCounts(context.tx, context.scope, context.filter, ['contact', 'case_opened'], 'commune', {
    byCode: false,
  });
  const geography = await readTerritoryGeography(context.tx, context.scope.territoryId);
  const communeName = new Map(geography.communes.map((commune) => [commune.code, commune.name]));
  const bassinOf = new Map<string, string>();
  for (const bassin of geography.bassinsDeVie) for (const code of bassin.communes) bassinOf.set(code, bassin.name);
  const bassins = new Map<string, number[]>();
  const communes = new Map<string, number[]>();
  for (const row of byCommune) {
    const index = row.measure === 'contact' ? 0 : 1;
    const bassin = row.group ? (bassinOf.get(row.group) ?? 'Hors bassin de vie') : 'Commune non renseignée';
    const communeLabel = row.group ? `${communeName.get(row.group) ?? row.group} (${row.group})` : 'Commune non renseignée';
    for (const [map, key] of [
      [bassins, bassin],
      [communes, communeLabel],
    ] as const) {
      const counts = map.get(key) ?? [0, 0];
      counts[index] = (counts[index] ?? 0) + row.count;
      map.set(key, counts);
    }
  }
  for (const [id, title, map] of [
    ['activity-bassin', 'Activité par bassin de vie (commune de la personne)', bassins],
    ['activity-commune', 'Activité par commune de la personne', communes],
  ] as const) {
    tables.push(
      countTable({
        id,
        title,
        help: 'Contacts (dont la personne est identifiée) et dossiers, par commune de résidence de la personne et par bassin de vie du territoire.',
        columns: columns.slice(0, 2),
        rows: sortedByLabel([...map.entries()].map(([label, counts]) => ({ key: label, label, counts }))),
        k,
        chartColumn: 'cases',
      }),
    );
  }
  return tables;
}

/** Builds one report for a scope and a query, in the caller's transaction. */
export async function buildReport(
  context: ReportContext,
  report: SupervisionReportName,
): Promise<Omit<SupervisionReport, 'report' | 'organisationId' | 'territoryId'>> {
  const lag = await readProjectionLag(context.tx);
  let tables: FigureTable[];
  let ownCases: SupervisionReport['ownCases'] = [];
  if (report === 'delays') tables = await delayTables(context);
  else if (report === 'breaches') ({ tables, ownCases } = await breachTables(context));
  else if (report === 'non-take-up') tables = await nonTakeUpTables(context);
  else tables = await activityTables(context);
  return {
    from: context.filter.fromMonth.slice(0, 7),
    to: context.filter.toMonth.slice(0, 7),
    minimumCellCount: context.settings.minimumCellCount,
    foldedAt: (lag.caughtUpAt ?? new Date(0)).toISOString(),
    tables,
    ownCases,
  };
}
