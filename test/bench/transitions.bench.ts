/**
 * Transitions benchmark (issue: desk API). 32 authenticated clients, in a separate process, drive their
 * own cases through the journey over HTTP on PostgreSQL; in the same run, the ceiling is the engine's own
 * work for one event (lock, update, event, timers, outbox, audit) driven directly against the same
 * database with the same concurrency. Then the engine's ceiling with and without the row-level security
 * policies, alternating. Writes bench/results/transitions.json.
 */
import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { personIdentities, persons, rowsOf } from '@parcours/db';
import { demoTerritoryId, seedDemoTerritory } from '@parcours/demo-territory';
import { createApp } from '@parcours/desk';
import { createLogger } from '@parcours/observability';
import { sql } from 'drizzle-orm';
import { createBenchDatabase, engineCeiling, percentile, round } from './bench-database.ts';

const clients = Number(process.env.BENCH_CLIENTS ?? 32);
const durationSeconds = Number(process.env.BENCH_SECONDS ?? 20);
const openSeconds = Number(process.env.BENCH_OPEN_SECONDS ?? 30);
const poolSize = 16;
const repositoryRoot = join(import.meta.dirname, '..', '..');

const database = await createBenchDatabase(poolSize);
try {
  const seed = await seedDemoTerritory(database.db);
  const entryOrganisationId = seed.organisationIds['fs-laragne'] as string;
  const personIds: string[] = [];
  for (let index = 0; index < clients; index += 1) {
    const [person] = await database.db
      .insert(persons)
      .values({ createdByOrganisationId: entryOrganisationId })
      .returning({ id: persons.id });
    personIds.push(person?.id as string);
    await database.db.insert(personIdentities).values({
      personId: person?.id as string,
      familyName: `Banc${index}`,
      givenNames: 'Essai',
      searchKey: `banc${index} essai`,
    });
  }

  // --- Over HTTP: the desk in this process, the load generator in its own. ---
  const app = createApp({
    db: database.db,
    logger: createLogger({ name: 'bench-desk', level: 'warn' }),
    sessionSecret: 'bench-session-secret-bench-session-secret',
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolveListening) => server.once('listening', resolveListening));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [
      '--import',
      'tsx',
      join(repositoryRoot, 'test/bench/transitions-load.ts'),
      url,
      String(clients),
      String(durationSeconds),
      personIds.join(','),
    ],
    { cwd: repositoryRoot, maxBuffer: 256 * 1024 * 1024 },
  );
  const load = JSON.parse(stdout) as { transitions: number; errors: number; elapsedMs: number; latenciesMs: number[] };
  const latencies = [...load.latenciesMs].sort((a, b) => a - b);
  const transitionsPerSecond = load.transitions / (load.elapsedMs / 1000);

  // --- Latency under a stated load: arrivals on a schedule (open loop) at 50 % and 80 % of the throughput just
  // measured, for `openSeconds` each. The closed loop's latency is only its queue (Little's law), not the code's.
  const openLoopAt = async (share: number) => {
    const rate = Math.max(1, Math.round(transitionsPerSecond * share));
    const { stdout: openOut } = await promisify(execFile)(
      process.execPath,
      [
        '--import',
        'tsx',
        join(repositoryRoot, 'test/bench/transitions-load.ts'),
        url,
        String(clients),
        String(openSeconds),
        personIds.join(','),
        `open:${rate}`,
      ],
      { cwd: repositoryRoot, maxBuffer: 256 * 1024 * 1024 },
    );
    const run = JSON.parse(openOut) as {
      transitions: number;
      errors: number;
      late: number;
      arrivals: number;
      latenciesMs: number[];
    };
    const sorted = [...run.latenciesMs].sort((a, b) => a - b);
    return {
      shareOfThroughput: share,
      ratePerSecond: rate,
      seconds: openSeconds,
      arrivals: run.arrivals,
      answered: run.transitions,
      errors: run.errors,
      late: run.late,
      p50Ms: round(percentile(sorted, 50)),
      p95Ms: round(percentile(sorted, 95)),
      p99Ms: round(percentile(sorted, 99)),
      maxMs: round(sorted[sorted.length - 1] ?? Number.NaN),
    };
  };
  const openLoop = { at50: await openLoopAt(0.5), at80: await openLoopAt(0.8), target: 'p99 < 100 ms at 50 %' };
  await new Promise((resolveClosed) => server.close(resolveClosed));

  // --- Ceiling: the engine alone, same database, same concurrency, no HTTP. ---
  const [agent] = await database.db.query.agents.findMany({
    where: (agents, { eq }) => eq(agents.email, 'accueil.laragne@demo.parcours.test'),
  });
  const actor = { kind: 'agent' as const, id: agent?.id as string, organisationId: entryOrganisationId };
  const ceilingFor = (seconds: number) =>
    engineCeiling(database.db, { territoryId: demoTerritoryId, entryOrganisationId, actor, personIds }, seconds);
  const ceilingPerSecond = await ceilingFor(durationSeconds);

  // --- What row-level security costs the engine (issue 8): the same ceiling with the policies switched
  // off on this throwaway database, in alternating halves so that both see the same machine. ---
  const protectedTables = rowsOf<{ name: string }>(
    await database.db.execute(sql`select relname as name from pg_class where relrowsecurity and relkind = 'r'`),
  ).map((row) => row.name);
  const setRowLevelSecurity = async (enabled: boolean) => {
    for (const table of protectedTables) {
      await database.db.execute(
        sql`alter table ${sql.identifier(table)} ${sql.raw(enabled ? 'enable' : 'disable')} row level security`,
      );
    }
  };
  const halves = { withPolicies: [] as number[], withoutPolicies: [] as number[] };
  for (let pass = 0; pass < 2; pass += 1) {
    halves.withPolicies.push(await ceilingFor(durationSeconds / 4));
    await setRowLevelSecurity(false);
    halves.withoutPolicies.push(await ceilingFor(durationSeconds / 4));
    await setRowLevelSecurity(true);
  }
  const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
  const rowLevelSecurity = {
    tables: protectedTables.length,
    ceilingWithPoliciesPerSecond: round(mean(halves.withPolicies), 1),
    ceilingWithoutPoliciesPerSecond: round(mean(halves.withoutPolicies), 1),
    ceilingRatio: round(mean(halves.withPolicies) / mean(halves.withoutPolicies), 3),
    target: 'the policies cost the engine no more than 10 % (ratio ≥ 0.9)',
  };

  const result = {
    benchmark: 'transitions',
    measuredAt: new Date().toISOString(),
    machine: { cpus: cpus().length, node: process.version },
    clients,
    durationSeconds,
    transitions: load.transitions,
    errors: load.errors,
    transitionsPerSecond: round(transitionsPerSecond, 1),
    p50Ms: round(percentile(latencies, 50)),
    p95Ms: round(percentile(latencies, 95)),
    p99Ms: round(percentile(latencies, 99)),
    ceilingPerSecond: round(ceilingPerSecond, 1),
    ratio: round(transitionsPerSecond / ceilingPerSecond, 3),
    targets: { ratio: 0.25, p99Ms: 100 },
    openLoop,
    rowLevelSecurity,
  };
  await mkdir(join(repositoryRoot, 'bench/results'), { recursive: true });
  await writeFile(join(repositoryRoot, 'bench/results/transitions.json'), `${JSON.stringify(result, null, 2)}\n`);
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
} finally {
  await database.drop();
}
