import { auditEvents, cases, rowsOf } from '@parcours/db';
import { seedDemoHistory } from '@parcours/demo-territory';
import { projectSupervisionUntilCaughtUp } from '@parcours/supervision-store';
import { createTestDatabase, type TestDatabase } from '@parcours/testing';
import { and, eq, sql } from 'drizzle-orm';
import type { Express } from 'express';
import type TestAgent from 'supertest/lib/agent.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FigureTable, SupervisionReport } from '../src/features/supervision/supervision.schemas.ts';
import { createTerritoryWorld, logInAs, problemOf } from './territory-world.ts';

/**
 * Supervision through the API, on the demo territory with a year of history written through the engine:
 * what a supervisor and a partner read, the suppression below k everywhere (JSON and CSV), the figures
 * against a recount from the log, the drill-down limited to one's own cases, and bad filters.
 */

let database: TestDatabase;
let app: Express;
let supervisor: TestAgent;
let partner: TestAgent;
let organisationIds: Record<string, string>;
const period = { from: '2025-03', to: '2026-02' };
const k = 5;

beforeAll(async () => {
  database = await createTestDatabase();
  const world = await createTerritoryWorld(database.db, (await database.connectAsService()).db);
  app = world.app;
  organisationIds = world.organisationIds;
  await seedDemoHistory(database.db, organisationIds, { cases: 120, now: new Date('2026-03-01T09:00:00Z') });
  await projectSupervisionUntilCaughtUp(database.db);
  [supervisor, partner] = await Promise.all([
    logInAs(app, 'superviseure@demo.parcours.test'),
    logInAs(app, 'partenaire.caf@demo.parcours.test'),
  ]);
}, 180_000);
afterAll(async () => {
  await database?.close();
});

const reportOf = async (client: TestAgent, name: string, query: Record<string, string> = period) =>
  (await client.get(`/api/v1/supervision/${name}`).query(query).expect(200)).body as SupervisionReport;

/** Every count shown is 0 or at least k; a hidden row shows nothing else. */
function expectNothingBelowK(table: FigureTable): void {
  for (const row of [...table.rows, ...(table.total ? [table.total] : [])]) {
    row.cells.forEach((cell, c) => {
      if (table.columns[c]?.unit !== 'count' || cell.hidden || cell.value === null) return;
      expect({ table: table.id, row: row.label, value: cell.value }).toSatisfy(
        ({ value }: { value: number }) => value === 0 || value >= k,
      );
    });
  }
}

describe('supervision reports', () => {
  it('when the supervisor reads every report, then each table is there, and no count shown is between 1 and k − 1', async () => {
    for (const name of ['delays', 'breaches', 'non-take-up', 'activity']) {
      const report = await reportOf(supervisor, name);
      expect(report).toMatchObject({ report: name, organisationId: null, from: period.from, to: period.to, minimumCellCount: k });
      expect(report.tables.length).toBeGreaterThan(1);
      for (const table of report.tables) expectNothingBelowK(table);
    }
    const activity = await reportOf(supervisor, 'activity');
    const months = activity.tables.find((table) => table.id === 'activity-month');
    expect(months?.rows.length).toBeGreaterThan(6);
    expect(activity.tables.some((table) => table.rows.some((row) => row.cells.some((cell) => cell.hidden)))).toBe(true);
  });

  it('when the delays are read, then « opened → assessment completed » counts exactly the cases whose log completes an assessment in the period', async () => {
    const report = await reportOf(supervisor, 'delays');
    const stages = report.tables.find((table) => table.id === 'stages');
    const shown = stages?.rows.find((row) => row.key === 'case_to_assessment')?.cells[0]?.value;
    const [recount] = rowsOf<{ n: number }>(
      await database.db.execute(sql`
        select count(distinct e.case_id)::int as n from case_events e join cases c on c.id = e.case_id
        where c.territory_id = 'hautes-alpes' and e.referral_id is null and e.event_type = 'COMPLETE_ASSESSMENT'
          and (e.at at time zone 'Europe/Paris') >= '2025-03-01' and (e.at at time zone 'Europe/Paris') < '2026-03-01'`),
    );
    expect(recount?.n).toBeGreaterThan(k);
    expect(shown).toBe(recount?.n);
  });

  it('when the non-take-up is read, then the rights detected equal the rights of the completed assessments of the cases opened in the period', async () => {
    const report = await reportOf(supervisor, 'non-take-up');
    const funnel = report.tables.find((table) => table.id === 'rights-funnel');
    const totalColumn = funnel?.columns.findIndex((column) => column.key === 'total') ?? -1;
    const shown = funnel?.total?.cells[totalColumn]?.value;
    const [recount] = rowsOf<{ n: number }>(
      await database.db.execute(sql`
        select count(*)::int as n from assessments a join cases c on c.id = a.case_id,
               jsonb_array_elements(a.potential_rights) as r
        where c.territory_id = 'hautes-alpes' and a.status = 'completed'
          and (c.created_at at time zone 'Europe/Paris') >= '2025-03-01'
          and (c.created_at at time zone 'Europe/Paris') < '2026-03-01'`),
    );
    expect(recount?.n).toBeGreaterThan(k);
    expect(shown).toBe(recount?.n);
  });

  it('when a partner reads the delays, then only its own part shows: the answer delays are its own organisation’s', async () => {
    const report = await reportOf(partner, 'delays');
    expect(report.organisationId).toBe(organisationIds.caf);
    const answers = report.tables.find((table) => table.id === 'stage-referral-to-answer');
    expect(answers?.rows.map((row) => row.label)).toEqual(['CAF des Hautes-Alpes']);
  });

  it('when a table is exported, then the CSV holds the same cells as the page, hidden ones as « < 5 »', async () => {
    const report = await reportOf(supervisor, 'activity');
    const table = report.tables.find((candidate) => candidate.rows.some((row) => row.cells.some((cell) => cell.hidden)));
    if (!table) throw new Error('the history gives at least one hidden cell');
    const exported = await supervisor
      .get(`/api/v1/supervision/activity/tables/${table.id}.csv`)
      .query(period)
      .buffer(true)
      .parse((response, done) => {
        let text = '';
        response.on('data', (chunk: Buffer) => {
          text += chunk.toString('utf8');
        });
        response.on('end', () => done(null, text));
      })
      .expect(200);
    expect(exported.headers['content-type']).toMatch(/^text\/csv/);
    expect(exported.headers['content-disposition']).toContain(`parcours-activity-${table.id}-2025-03-2026-02.csv`);
    const lines = (exported.body as string)
      .replace(/^\uFEFF/, '')
      .trim()
      .split(/\r?\n/);
    expect(lines).toHaveLength(1 + table.rows.length + (table.total ? 1 : 0));
    const firstHidden = table.rows.find((row) => row.cells.some((cell) => cell.hidden));
    const line = lines.find(
      (candidate) => candidate.startsWith(`${firstHidden?.label};`) || candidate.startsWith(`"${firstHidden?.label}";`),
    );
    expect(line).toContain('< 5');
  });

  it('when the breaches are read, then the drill-down lists only cases the caller’s organisation takes part in', async () => {
    const report = await reportOf(supervisor, 'breaches');
    const ownIds = report.ownCases.map((item) => item.caseId);
    if (ownIds.length > 0) {
      const reachable = rowsOf<{ case_id: string }>(
        await database.db.execute(sql`
          select case_id from case_access where organisation_id = ${organisationIds.departement as string}::uuid
            and case_id in (select jsonb_array_elements_text(${JSON.stringify(ownIds)}::jsonb)::uuid)`),
      );
      expect(reachable).toHaveLength(ownIds.length);
    }
    const partnerReport = await reportOf(partner, 'breaches');
    for (const item of partnerReport.ownCases) {
      const [row] = rowsOf<{ n: number }>(
        await database.db.execute(sql`
          select count(*)::int as n from case_access where case_id = ${item.caseId}::uuid and organisation_id = ${organisationIds.caf as string}::uuid`),
      );
      expect(row?.n).toBe(1);
    }
  });

  it('when a report is read, then the read is audited (who, which report, which territory), with no person id', async () => {
    await reportOf(supervisor, 'non-take-up');
    const rows = await database.db
      .select({ subjectIds: auditEvents.subjectIds, subjectKind: auditEvents.subjectKind })
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'supervision.non-take-up'), eq(auditEvents.outcome, 'allowed')));
    expect(rows.length).toBeGreaterThan(0);
    expect(rows[0]).toEqual({ subjectKind: 'supervision', subjectIds: ['hautes-alpes'] });
  });

  it('when the filters are wrong, then the answer is a 400 problem in French and names the field', async () => {
    const badMonth = problemOf(await supervisor.get('/api/v1/supervision/delays').query({ from: '2026-13' }).expect(400));
    expect(badMonth.errors?.[0]).toMatchObject({ field: 'from', message: 'Un mois comme 2026-03' });
    const reversed = problemOf(
      await supervisor.get('/api/v1/supervision/delays').query({ from: '2026-02', to: '2025-03' }).expect(400),
    );
    expect(reversed.errors?.[0]).toMatchObject({ field: 'to', message: 'Le mois de fin doit suivre le mois de début' });
    const tooLong = problemOf(
      await supervisor.get('/api/v1/supervision/delays').query({ from: '2020-01', to: '2026-02' }).expect(400),
    );
    expect(tooLong.errors?.[0]?.message).toContain('36 mois');
    const badPartner = problemOf(await supervisor.get('/api/v1/supervision/activity').query({ partner: 'caf' }).expect(400));
    expect(badPartner.errors?.[0]?.field).toBe('partner');
    await supervisor.get('/api/v1/supervision/delays/tables/pas-un-tableau.csv').expect(404);
  });

  it('when an admin (no supervision role) asks, then it is refused', async () => {
    const admin = await logInAs(app, 'admin@demo.parcours.test');
    await admin.get('/api/v1/supervision/delays').expect(403);
    await admin.get('/pilotage/delais').expect(403);
  });
});

describe('supervision pages', () => {
  it('when the supervisor opens « Pilotage », then the tables are the page (charts beside them), with help and CSV links', async () => {
    await supervisor.get('/pilotage').expect(303).expect('Location', '/pilotage/delais');
    const page = await supervisor.get('/pilotage/non-recours').query({ du: '2025-03', au: '2026-02' }).expect(200);
    expect(page.text).toContain('Droits potentiels : du repérage à l’ouverture');
    expect(page.text).toContain('<table>');
    expect(page.text).toContain('Comment ce chiffre est calculé');
    const html = page.text.replaceAll('&#x3D;', '=').replaceAll('&amp;', '&');
    expect(html).toContain('/api/v1/supervision/non-take-up/tables/rights-funnel.csv?from=2025-03&to=2026-02');
    expect(page.text).toContain('aria-current="page">Pilotage</a>');
  });

  it('when a filter is wrong on the page, then it answers 400 with the error summary and the form kept', async () => {
    const page = await supervisor.get('/pilotage/delais').query({ du: '2026-02', au: '2025-01' }).expect(400);
    expect(page.text).toContain('Le formulaire contient 1 erreur');
    expect(page.text).toContain('href="#filtre-au"');
    expect(page.text).toContain('value="2026-02"');
  });
});

it('when a period holds no case, then every stage counts 0 measures and shows no delay', async () => {
  const [opened] = await database.db
    .select({ n: sql<number>`count(*)::int` })
    .from(cases)
    .where(and(eq(cases.territoryId, 'hautes-alpes'), sql`${cases.createdAt} < '2024-03-01'`));
  expect(opened?.n).toBe(0);
  const report = await reportOf(supervisor, 'delays', { from: '2024-01', to: '2024-02' });
  const stages = report.tables.find((table) => table.id === 'stages');
  expect(stages?.rows.length).toBe(8);
  for (const row of stages?.rows ?? []) {
    expect(row.cells[0]).toEqual({ value: 0, hidden: false });
    expect(row.cells[1]).toEqual({ value: null, hidden: false });
  }
});
