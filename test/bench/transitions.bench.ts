/**
 * Transitions benchmark (issue: desk API). 32 authenticated clients, in a separate process, drive their
 * own cases through the journey over HTTP on PostgreSQL; in the same run, the ceiling is the engine's own
 * work for one event (lock, update, event, timers, outbox, audit) driven directly against the same
 * database with the same concurrency. Writes bench/results/transitions.json.
 */
import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { personIdentities, persons } from '@parcours/db';
import { demoTerritoryId, seedDemoTerritory } from '@parcours/demo-territory';
import { createApp } from '@parcours/desk';
import { openCase, sendCaseEvent } from '@parcours/engine';
import { createLogger } from '@parcours/observability';
import { createBenchDatabase, percentile, round } from './bench-database.ts';

const clients = Number(process.env.BENCH_CLIENTS ?? 32);
const durationSeconds = Number(process.env.BENCH_SECONDS ?? 20);
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
    loginAttempts: { limit: 10_000, windowMs: 60_000 },
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
  await new Promise((resolveClosed) => server.close(resolveClosed));
  const load = JSON.parse(stdout) as { transitions: number; errors: number; elapsedMs: number; latenciesMs: number[] };
  const latencies = [...load.latenciesMs].sort((a, b) => a - b);
  const transitionsPerSecond = load.transitions / (load.elapsedMs / 1000);

  // --- Ceiling: the engine alone, same database, same concurrency, no HTTP. ---
  const [agent] = await database.db.query.agents.findMany({
    where: (agents, { eq }) => eq(agents.email, 'accueil.laragne@demo.parcours.test'),
  });
  const actor = { kind: 'agent' as const, id: agent?.id as string, organisationId: entryOrganisationId };
  let ceilingTransitions = 0;
  const ceilingStart = Date.now();
  const ceilingUntil = ceilingStart + durationSeconds * 1000;
  await Promise.all(
    personIds.map(async (personId) => {
      let view = await openCase(
        database.db,
        {
          territoryId: demoTerritoryId,
          entryOrganisationId,
          channel: 'physical',
          expressedRequest: 'Plafond',
          members: [{ personId, role: 'primary' }],
        },
        { actor },
      );
      const events = [{ type: 'SUSPEND', reason: 'person_request' }, { type: 'RESUME' }];
      let next: Record<string, unknown> = { type: 'START_ASSESSMENT' };
      let step = 0;
      while (Date.now() < ceilingUntil) {
        view = await sendCaseEvent(database.db, { caseId: view.id, event: next, expectedRevision: view.revision }, { actor });
        ceilingTransitions += 1;
        next = events[step % 2] as Record<string, unknown>;
        step += 1;
      }
    }),
  );
  const ceilingPerSecond = ceilingTransitions / ((Date.now() - ceilingStart) / 1000);

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
  };
  await mkdir(join(repositoryRoot, 'bench/results'), { recursive: true });
  await writeFile(join(repositoryRoot, 'bench/results/transitions.json'), `${JSON.stringify(result, null, 2)}\n`);
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
} finally {
  await database.drop();
}
