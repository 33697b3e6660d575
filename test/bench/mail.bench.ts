/**
 * Mail at volume (issue 21): N mail jobs waiting in the outbox, one worker on BullMQ/Redis (or in process when
 * REDIS_URL is empty) sending through its pooled SMTP transport to a local sink; mails per second from the
 * worker's start to the last arrival, then lost and duplicated counted by Message-ID. Settings under test:
 * BENCH_MAILS (5,000), WORKER_CONCURRENCY (16), SMTP_MAX_CONNECTIONS (8). Writes bench/results/mail.json.
 * Target: ≥ 500 mails/s, 0 lost, 0 duplicated.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { agents, memberships, outbox } from '@parcours/db';
import { openCase } from '@parcours/engine';
import { createLogger } from '@parcours/observability';
import { createFixtureTerritory } from '@parcours/testing';
import { createWorker } from '@parcours/worker';
import { eq } from 'drizzle-orm';
import { obliterateQueues } from '../../services/worker/src/runners/bullmq.runner.ts';
import { messageIdOf, startMailSink } from '../faults/fault-services.ts';
import { createBenchDatabase, round } from './bench-database.ts';

const mails = Number(process.env.BENCH_MAILS ?? 5_000);
const concurrency = Number(process.env.WORKER_CONCURRENCY ?? 16);
const maxConnections = Number(process.env.SMTP_MAX_CONNECTIONS ?? 8);
const redisUrl = process.env.REDIS_URL === '' ? null : (process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
const repositoryRoot = join(import.meta.dirname, '..', '..');

const database = await createBenchDatabase(20);
const sink = await startMailSink();
const prefix = `bench-mail-${randomBytes(3).toString('hex')}`;
try {
  const fixture = await createFixtureTerritory(database.db);
  const [recipient] = await database.db
    .insert(agents)
    .values({ email: 'referente@bench.test', displayName: 'Référente' })
    .returning({ id: agents.id });
  await database.db
    .insert(memberships)
    .values({ agentId: recipient?.id as string, organisationId: fixture.entryOrganisationId, roles: ['referent'] });
  const opened = await openCase(
    database.db,
    {
      territoryId: fixture.territoryId,
      entryOrganisationId: fixture.entryOrganisationId,
      channel: 'physical',
      expressedRequest: 'Banc d’essai du courrier',
      members: [{ personId: fixture.personId, role: 'primary' }],
    },
    { actor: { kind: 'agent', id: fixture.agentId, organisationId: fixture.entryOrganisationId } },
  );
  // N assignment mails owed by the outbox, as the engine writes them (one case, one recipient: distinct causes).
  for (let start = 0; start < mails; start += 1_000) {
    await database.db.insert(outbox).values(
      Array.from({ length: Math.min(1_000, mails - start) }, () => ({
        jobName: 'effect.notifyCaseAssigned',
        payload: {
          caseId: opened.id,
          referralId: null,
          revision: 0,
          at: new Date().toISOString(),
          params: { agentId: recipient?.id },
        },
      })),
    );
  }
  const rows = await database.db.select({ id: outbox.id }).from(outbox).where(eq(outbox.jobName, 'effect.notifyCaseAssigned'));
  const expected = rows.map((row) => messageIdOf(`${row.id}:case-assigned:${recipient?.id}`));

  const worker = createWorker({
    db: database.db,
    logger: createLogger({ name: 'bench-mail', level: 'warn' }),
    redisUrl,
    mail: { smtpUrl: sink.url, from: 'Parcours <parcours@bench.test>', maxConnections },
    publicUrl: 'https://parcours.example.test',
    relayIntervalMs: 10,
    queuePrefix: prefix,
    concurrency,
    auditSealIntervalMs: 600_000,
    supervisionIntervalMs: 600_000,
  });
  const started = Date.now();
  await worker.start();
  const deadline = started + 600_000;
  while (expected.filter((id) => sink.received.has(id)).length < expected.length && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const lastArrival = Math.max(...sink.arrivals);
  await worker.stop();
  if (redisUrl) await obliterateQueues(redisUrl, prefix);
  const seconds = (lastArrival - started) / 1000;
  const result = {
    benchmark: 'mail',
    measuredAt: new Date().toISOString(),
    machine: { cpus: cpus().length, node: process.version, loadAverage1m: round(loadavg()[0] ?? 0) },
    runner: redisUrl ? 'bullmq' : 'in-process',
    mails,
    settings: { workerConcurrency: concurrency, smtpMaxConnections: maxConnections },
    seconds: round(seconds),
    mailsPerSecond: round(mails / seconds, 1),
    lost: expected.filter((id) => !sink.received.has(id)).length,
    duplicated: [...sink.received.values()].filter((times) => times > 1).length,
    target: '≥ 500 mails/s, 0 lost, 0 duplicated',
  };
  await mkdir(join(repositoryRoot, 'bench', 'results'), { recursive: true });
  await writeFile(join(repositoryRoot, 'bench', 'results', 'mail.json'), `${JSON.stringify(result, null, 2)}\n`);
  process.stdout.write(`${JSON.stringify(result)}\n`);
} finally {
  await sink.close();
  await database.drop();
}
