/**
 * `npm run bench -- supervision`: supervision at the scale of a region, on PostgreSQL.
 *
 * 1. A region's history (SUPERVISION_BENCH_CASES, default 1,000,000 cases, about 10 events each, 3 years) is
 *    generated and folded into the read model (the rebuild): both timed.
 * 2. Each report's API query (HTTP, a supervisor's session) with four filter sets: p50 / p95.
 * 3. The engine's transitions ceiling without, then with, the projection running as the worker runs it
 *    (alternating halves, same machine), and the lag from an event's commit to the moment it is folded.
 * Writes bench/results/supervision.json.
 */
import { writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { agents, memberships, organisations, persons, rowsOf } from '@parcours/db';
import { createApp } from '@parcours/desk';
import { createLogger } from '@parcours/observability';
import { projectSupervisionBatch } from '@parcours/supervision-store';
import argon2 from 'argon2';
import { eq, sql } from 'drizzle-orm';
import { createBenchDatabase, engineCeiling, percentile, round } from './bench-database.ts';
import { generateRegion, regionTerritoryId } from './generate-region.ts';

const caseCount = Number(process.env.SUPERVISION_BENCH_CASES ?? 1_000_000);
const clients = 16;
const halfSeconds = 10;
const repositoryRoot = join(import.meta.dirname, '..', '..');

const database = await createBenchDatabase(clients + 4);
try {
  const region = await generateRegion(database.url, { cases: caseCount, log: (line) => process.stdout.write(`  ${line}\n`) });
  process.stdout.write(
    `generated ${region.cases} cases, ${region.events} events in ${region.generatedSeconds} s; rebuilt in ${region.rebuiltSeconds} s\n`,
  );
  await database.db.execute(sql`analyze`);

  // --- The API's queries, as a supervisor of the region reads them ---
  const [entry] = await database.db
    .select({ id: organisations.id })
    .from(organisations)
    .where(eq(organisations.territoryId, regionTerritoryId))
    .limit(1);
  const [partner] = rowsOf<{ id: string }>(
    await database.db.execute(
      sql`select id from organisations where territory_id = ${regionTerritoryId} and name like 'Partenaire%' limit 1`,
    ),
  );
  const password = 'banc-supervision';
  const [supervisor] = await database.db
    .insert(agents)
    .values({ email: 'superviseur@region.example.test', displayName: 'Superviseur', passwordHash: await argon2.hash(password) })
    .returning({ id: agents.id });
  await database.db.insert(memberships).values({
    agentId: supervisor?.id as string,
    organisationId: entry?.id as string,
    roles: ['supervisor', 'reception', 'referent'],
  });
  const app = createApp({
    db: database.db,
    logger: createLogger({ name: 'bench', level: 'warn' }),
    sessionSecret: 'x'.repeat(48),
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolveListening) => server.once('listening', () => resolveListening()));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const login = await fetch(`${baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'superviseur@region.example.test', password }),
  });
  const cookie = login.headers.get('set-cookie')?.split(';')[0] ?? '';
  const now = new Date();
  const to = now.toISOString().slice(0, 7);
  const from = `${now.getUTCFullYear() - 1}-${String(now.getUTCMonth() + 1).padStart(2, '0')}`;
  const filters: Record<string, string>[] = [
    { from, to },
    { from, to, organisation: entry?.id as string },
    { from, to, partner: partner?.id as string },
    { from, to, channel: 'phone' },
  ];
  const queries: Record<string, { p50Ms: number; p95Ms: number; samples: number }> = {};
  for (const report of ['delays', 'breaches', 'non-take-up', 'activity']) {
    const timings: number[] = [];
    for (let round_ = 0; round_ < 6; round_ += 1) {
      for (const filter of filters) {
        const started = performance.now();
        const answer = await fetch(`${baseUrl}/api/v1/supervision/${report}?${new URLSearchParams(filter)}`, {
          headers: { cookie },
        });
        await answer.arrayBuffer();
        if (answer.status !== 200) throw new Error(`${report}: ${answer.status}`);
        if (round_ > 0) timings.push(performance.now() - started);
      }
    }
    timings.sort((a, b) => a - b);
    queries[report] = { p50Ms: round(percentile(timings, 50)), p95Ms: round(percentile(timings, 95)), samples: timings.length };
    process.stdout.write(`${report}: p50 ${queries[report]?.p50Ms} ms, p95 ${queries[report]?.p95Ms} ms\n`);
  }
  await new Promise((resolveClosed) => server.close(resolveClosed));

  // --- The transitions ceiling without and with the projection, and the projection's lag ---
  const personIds = (
    await database.db
      .insert(persons)
      .values(Array.from({ length: clients }, () => ({ createdByOrganisationId: entry?.id as string })))
      .returning({ id: persons.id })
  ).map((row) => row.id);
  const actor = { kind: 'agent' as const, id: supervisor?.id as string, organisationId: entry?.id as string };
  const ceilingFor = (seconds: number) =>
    engineCeiling(
      database.db,
      { territoryId: regionTerritoryId, entryOrganisationId: entry?.id as string, actor, personIds },
      seconds,
    );
  /** The worker's loop: a batch, again at once while it was full, else every 5 s. */
  const folds: { at: number; processedBelow: bigint }[] = [];
  const runProjection = (stop: { stopped: boolean }) =>
    (async () => {
      while (!stop.stopped) {
        const batch = await projectSupervisionBatch(database.db);
        const [position] = rowsOf<{ below: string }>(
          await database.db.execute(sql`select processed_below as below from supervision_projection where name = 'supervision'`),
        );
        folds.push({ at: Date.now(), processedBelow: BigInt(position?.below ?? '0') });
        if (!batch.more) await new Promise((resolveWait) => setTimeout(resolveWait, 5_000));
      }
    })();
  const halves = { without: [] as number[], with: [] as number[] };
  const lagStartedAt = new Date();
  for (let pass = 0; pass < 2; pass += 1) {
    halves.without.push(await ceilingFor(halfSeconds));
    const stop = { stopped: false };
    const projection = runProjection(stop);
    halves.with.push(await ceilingFor(halfSeconds));
    stop.stopped = true;
    await projection;
  }
  // Fold what is left, then read each event of the runs with the instant its fold committed.
  const stop = { stopped: false };
  const tail = runProjection(stop);
  await new Promise((resolveWait) => setTimeout(resolveWait, 6_000));
  stop.stopped = true;
  await tail;
  const runEvents = rowsOf<{ xid: string; at: string }>(
    await database.db.execute(sql`
      select transaction_id::text as xid, to_char(at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as at
      from case_events where at >= ${lagStartedAt.toISOString()}::timestamptz`),
  );
  const lags = runEvents
    .map((event) => {
      const xid = BigInt(event.xid);
      const fold = folds.find((candidate) => candidate.processedBelow > xid);
      return fold ? (fold.at - Date.parse(event.at)) / 1000 : Number.NaN;
    })
    .filter((lag) => !Number.isNaN(lag))
    .sort((a, b) => a - b);
  const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
  const without = mean(halves.without);
  const withProjection = mean(halves.with);
  const [counts] = rowsOf<{ cases: number; events: number }>(
    await database.db.execute(
      sql`select (select count(*)::int from cases) as cases, (select count(*)::int from case_events) as events`,
    ),
  );
  const result = {
    benchmark: 'supervision',
    measuredAt: new Date().toISOString(),
    machine: { cpus: (await import('node:os')).cpus().length, node: process.version },
    cases: counts?.cases,
    events: counts?.events,
    generatedSeconds: region.generatedSeconds,
    rebuiltSeconds: region.rebuiltSeconds,
    queries,
    queryTarget: 'p95 < 100 ms at 1,000,000 cases',
    transitions: {
      clients,
      halfSeconds,
      ceilingWithoutProjectionPerSecond: round(without, 1),
      ceilingWithProjectionPerSecond: round(withProjection, 1),
      ratio: round(withProjection / without, 3),
      target: 'the ceiling falls by less than 5 % (ratio ≥ 0.95)',
    },
    lag: {
      events: lags.length,
      p50Seconds: round(percentile(lags, 50), 2),
      p95Seconds: round(percentile(lags, 95), 2),
      maxSeconds: round(lags[lags.length - 1] ?? Number.NaN, 2),
      target: '< 60 s from an event to the dashboard, under the transitions load',
    },
  };
  writeFileSync(join(repositoryRoot, 'bench/results/supervision.json'), `${JSON.stringify(result, null, 2)}\n`);
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
} finally {
  await database.drop();
}
