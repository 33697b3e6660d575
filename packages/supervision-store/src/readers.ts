import { rowsOf, type Transaction } from '@parcours/db';
import { allValues, type CountMeasure, type DayKind, type DelayStage } from '@parcours/supervision';
import { and, type SQL, sql } from 'drizzle-orm';

/**
 * Reads of supervision's aggregates: sums of stored cells, never a scan of the log. Run in the caller's
 * actor transaction (the tables carry no person data; the desk's policy decides the scope).
 */

export interface SupervisionScope {
  territoryId: string;
  /** A partner's view: only the cells its organisation takes part in (as entry point or as partner). */
  organisationId?: string | null;
}

export interface SupervisionFilter {
  /** First and last month included, `YYYY-MM-01`. */
  fromMonth: string;
  toMonth: string;
  entryOrganisationId?: string | null;
  partnerOrganisationId?: string | null;
  bundle?: string | null;
  channel?: string | null;
}

/** What a table is broken down by. */
export type Breakdown = 'none' | 'partner' | 'entryOrganisation' | 'month' | 'commune' | 'channel' | 'bundle';

const breakdownColumn: Record<Breakdown, SQL> = {
  none: sql`''`,
  partner: sql`partner_organisation_id`,
  entryOrganisation: sql`entry_organisation_id`,
  month: sql`to_char(month, 'YYYY-MM')`,
  commune: sql`commune`,
  channel: sql`channel`,
  bundle: sql`bundle`,
};

/**
 * The cells a query sums. Bundle and channel always name a value: the filter's, or `*` (the cells summed over
 * all of them, see `allValues`) — except the dimension the table is broken down by, whose real values are read.
 */
function conditionsOf(scope: SupervisionScope, filter: SupervisionFilter, breakdown: Breakdown): SQL {
  const conditions: SQL[] = [
    sql`territory_id = ${scope.territoryId}`,
    sql`month between ${filter.fromMonth}::date and ${filter.toMonth}::date`,
  ];
  if (scope.organisationId) {
    conditions.push(sql`(entry_organisation_id = ${scope.organisationId} or partner_organisation_id = ${scope.organisationId})`);
  }
  if (filter.entryOrganisationId) conditions.push(sql`entry_organisation_id = ${filter.entryOrganisationId}`);
  if (filter.partnerOrganisationId) conditions.push(sql`partner_organisation_id = ${filter.partnerOrganisationId}`);
  for (const [dimension, value, column] of [
    ['bundle', filter.bundle, sql`bundle`],
    ['channel', filter.channel, sql`channel`],
  ] as const) {
    if (value) conditions.push(sql`${column} = ${value}`);
    else if (breakdown === dimension) conditions.push(sql`${column} <> ${allValues}`);
    else conditions.push(sql`${column} = ${allValues}`);
  }
  return and(...conditions) as SQL;
}

export interface DelayHistogramRow {
  stage: DelayStage;
  dayKind: DayKind;
  group: string;
  days: number;
  count: number;
}

/** Delay histograms per stage and day kind, broken down by one dimension. */
export async function readDelayHistograms(
  tx: Transaction,
  scope: SupervisionScope,
  filter: SupervisionFilter,
  breakdown: Breakdown,
  stages?: readonly DelayStage[],
): Promise<DelayHistogramRow[]> {
  const column = breakdownColumn[breakdown === 'commune' ? 'none' : breakdown];
  const stageCondition = stages ? sql` and stage in (select jsonb_array_elements_text(${JSON.stringify(stages)}::jsonb))` : sql``;
  const rows = rowsOf<{ stage: DelayStage; day_kind: DayKind; group: string; days: number; count: string | number }>(
    await tx.execute(sql`
      select stage, day_kind, ${column} as "group", days, sum(count) as count
      from supervision_delays
      where ${conditionsOf(scope, filter, breakdown)}${stageCondition}
      group by stage, day_kind, "group", days`),
  );
  return rows.map((row) => ({
    stage: row.stage,
    dayKind: row.day_kind,
    group: row.group,
    days: Number(row.days),
    count: Number(row.count),
  }));
}

export interface CountRow {
  measure: CountMeasure;
  code: string;
  detail: string;
  group: string;
  count: number;
}

/** Counted facts of the given measures, broken down by one dimension, with their codes. */
export async function readCounts(
  tx: Transaction,
  scope: SupervisionScope,
  filter: SupervisionFilter,
  measures: readonly CountMeasure[],
  breakdown: Breakdown,
  options: { byCode?: boolean; byDetail?: boolean } = {},
): Promise<CountRow[]> {
  const code = options.byCode === false ? sql`''` : sql`code`;
  const detail = options.byDetail ? sql`detail` : sql`''`;
  const rows = rowsOf<{ measure: CountMeasure; code: string; detail: string; group: string; count: string | number }>(
    await tx.execute(sql`
      select measure, ${code} as code, ${detail} as detail, ${breakdownColumn[breakdown]} as "group", sum(count) as count
      from supervision_counts
      where ${conditionsOf(scope, filter, breakdown)}
        and measure in (select jsonb_array_elements_text(${JSON.stringify(measures)}::jsonb))
      group by measure, 2, 3, 4`),
  );
  return rows.map((row) => ({ ...row, count: Number(row.count) }));
}

export interface BreachRow {
  kind: 'reminder' | 'escalation' | 'stalled';
  partnerOrganisationId: string;
  /** The stage a stalled case is in. */
  stage: string;
  count: number;
  /** Age in days of the oldest: since the referral was sent, or since the case entered its stage. */
  oldestSince: Date | null;
}

/**
 * Breaches now: referrals still awaiting an answer past their reminder or escalation deadline, per partner;
 * cases stalled in a stage past its deadline, per stage. From the projection's facts.
 */
export async function readBreaches(tx: Transaction, scope: SupervisionScope): Promise<BreachRow[]> {
  const referralScope = scope.organisationId
    ? sql` and (f.partner_organisation_id = ${scope.organisationId} or c.entry_organisation_id = ${scope.organisationId}
                or c.referent_organisation_id = ${scope.organisationId})`
    : sql``;
  const caseScope = scope.organisationId
    ? sql` and (entry_organisation_id = ${scope.organisationId} or referent_organisation_id = ${scope.organisationId})`
    : sql``;
  const rows = rowsOf<{ kind: BreachRow['kind']; partner: string; stage: string; count: string | number; oldest: string | null }>(
    await tx.execute(sql`
      select case when f.escalated_at is not null then 'escalation' else 'reminder' end as kind,
             f.partner_organisation_id as partner, '' as stage, count(*) as count,
             to_char(min(f.sent_at) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as oldest
      from supervision_referral_facts f join supervision_case_facts c on c.case_id = f.case_id
      where f.territory_id = ${scope.territoryId} and f.reminded_at is not null and f.answered_at is null
        and f.final_status is null${referralScope}
      group by 1, 2
      union all
      select 'stalled', '', stage, count(*),
             to_char(min(stage_since) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
      from supervision_case_facts
      where territory_id = ${scope.territoryId} and stage_overdue_at is not null${caseScope}
      group by stage`),
  );
  return rows.map((row) => ({
    kind: row.kind,
    partnerOrganisationId: row.partner,
    stage: row.stage,
    count: Number(row.count),
    oldestSince: row.oldest ? new Date(row.oldest) : null,
  }));
}

/** The cases behind the breaches that the given organisation takes part in: the drill-down's candidates. */
export async function readBreachedCasesOf(
  tx: Transaction,
  territoryId: string,
  organisationId: string,
  limit = 50,
): Promise<{ caseId: string; kind: BreachRow['kind']; since: Date }[]> {
  const rows = rowsOf<{ case_id: string; kind: BreachRow['kind']; since: string }>(
    await tx.execute(sql`
      select * from (
        select f.case_id, case when f.escalated_at is not null then 'escalation' else 'reminder' end as kind,
               to_char(f.sent_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as since
        from supervision_referral_facts f
        where f.territory_id = ${territoryId} and f.reminded_at is not null and f.answered_at is null
          and f.final_status is null
          and exists (select 1 from case_access a where a.case_id = f.case_id and a.organisation_id = ${organisationId}::uuid)
        union all
        select case_id, 'stalled', to_char(stage_since at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
        from supervision_case_facts
        where territory_id = ${territoryId} and stage_overdue_at is not null
          and exists (select 1 from case_access a where a.case_id = supervision_case_facts.case_id
                      and a.organisation_id = ${organisationId}::uuid)
      ) breached order by since limit ${limit}`),
  );
  return rows.map((row) => ({ caseId: row.case_id, kind: row.kind, since: new Date(row.since) }));
}

/**
 * Up to when the read model holds the log: the last time a batch of the projection found nothing more to fold
 * (every event committed before that instant is in the figures). Read from the projection's own row: the
 * log itself is under row-level security and large.
 */
export async function readProjectionLag(tx: Transaction): Promise<{ caughtUpAt: Date | null }> {
  const [row] = rowsOf<{ caught_up_at: string | null }>(
    await tx.execute(sql`
      select to_char(caught_up_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as caught_up_at
      from supervision_projection where name = 'supervision'`),
  );
  return { caughtUpAt: row?.caught_up_at ? new Date(row.caught_up_at) : null };
}
