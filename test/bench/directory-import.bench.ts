/**
 * A territory's data·inclusion file of 20,000 services imported as the worker imports it (stored, read, checked
 * against the official schema and the directory's rules, written in batches), on PostgreSQL — target under 30 s
 * (issue 20). The import runs in this process beside a desk serving requests, as under `npm start` where the
 * jobs run in the desk's process: the desk's answer times and the event loop's delays while it runs say
 * whether the import holds the desk's other requests. Writes bench/results/directory-import.json.
 * Run: npm run bench -- directory-import
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { isDeepStrictEqual } from 'node:util';
import { directoryServices, organisations, systemActor, territories, withActor } from '@parcours/db';
import { createApp } from '@parcours/desk';
import { createDirectoryImport, franceZones, runDirectoryImport } from '@parcours/directory-store';
import { createLogger } from '@parcours/observability';
import { count, eq } from 'drizzle-orm';
import { generateDataInclusionFile } from '../directory/data-inclusion-generator.ts';
import { createBenchDatabase, percentile } from './bench-database.ts';

const services = 20_000;
const targetSeconds = 30;
const round = (value: number) => Number(value.toFixed(2));

async function main(): Promise<void> {
  const database = await createBenchDatabase(10);
  try {
    const db = database.db;
    const territoryId = 'bench-directory';
    await db.insert(territories).values({
      id: territoryId,
      name: 'Hautes-Alpes (mesure)',
      departementCode: '05',
      communes: [...franceZones.communesOfDepartement('05')],
    });
    await db
      .insert(organisations)
      .values({ territoryId, name: 'Structure d’accompagnement n° 1', kind: 'association', communesServed: ['05070'] });
    const generated = generateDataInclusionFile({ services });
    const content = JSON.stringify(generated.file);

    const app = createApp({
      db,
      logger: createLogger({ name: 'bench', level: 'silent' }),
      sessionSecret: randomBytes(32).toString('hex'),
    });
    const server = app.listen(0, '127.0.0.1');
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    // The desk's other requests while the import runs: one every 20 ms, each timed.
    const latencies: number[] = [];
    let importing = true;
    const requests = (async () => {
      while (importing) {
        const started = performance.now();
        const response = await fetch(`${base}/health`);
        await response.arrayBuffer();
        latencies.push(performance.now() - started);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    const loop = monitorEventLoopDelay({ resolution: 10 });
    loop.enable();
    const started = performance.now();
    const importId = await createDirectoryImport(db, { territoryId, agentId: randomUUID(), fileName: 'bench.json', content });
    const state = await runDirectoryImport((work) => withActor(db, systemActor, work), importId);
    const seconds = (performance.now() - started) / 1000;
    loop.disable();
    importing = false;
    await requests;
    await new Promise<void>((resolve) => server.close(() => resolve()));

    const [stored] = await db
      .select({ n: count() })
      .from(directoryServices)
      .where(eq(directoryServices.territoryId, territoryId));
    const exact =
      isDeepStrictEqual(state?.report?.rejected, generated.expectedRejected) &&
      state?.report?.written === services - generated.expectedRejected.length &&
      stored?.n === state?.report?.written;
    const sorted = [...latencies].sort((a, b) => a - b);
    const result = {
      benchmark: 'directory-import',
      measuredAt: new Date().toISOString(),
      machine: { cpus: availableParallelism(), node: process.version },
      services,
      fileMegabytes: round(Buffer.byteLength(content) / 1_000_000),
      importSeconds: round(seconds),
      target: `< ${targetSeconds} s for ${services.toLocaleString('en')} services`,
      met: seconds < targetSeconds,
      reportExact: exact,
      written: state?.report?.written ?? 0,
      rejected: state?.report?.rejected.length ?? 0,
      deskDuringImport: {
        requests: latencies.length,
        p50Ms: round(percentile(sorted, 50)),
        p95Ms: round(percentile(sorted, 95)),
        maxMs: round(sorted[sorted.length - 1] ?? Number.NaN),
        eventLoopDelayP99Ms: round(loop.percentile(99) / 1e6),
        eventLoopDelayMaxMs: round(loop.max / 1e6),
        note: 'import run in the desk process (the embedded start); with a separate worker the desk process does none of it',
      },
    };
    const folder = join(import.meta.dirname, '..', '..', 'bench', 'results');
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, 'directory-import.json'), `${JSON.stringify(result, null, 2)}\n`);
    console.log(JSON.stringify(result, null, 2));
    if (!exact) process.exitCode = 1;
  } finally {
    await database.drop();
  }
}

await main();
