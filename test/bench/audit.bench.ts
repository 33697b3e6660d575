/**
 * Audit benchmark (issue 8): what the audit adds to a request. A case read (the desk's `getCase`
 * queries: the case, its members with their identity, in one `withActor` transaction) is timed without
 * and with its audit row, interleaved in the same run on the same PostgreSQL database, at 1 and at 8
 * concurrent clients; then again with the worker's sealer running flat out beside the requests, to show
 * that the chain does not make requests wait. Also times sealing and verification per 1,000 rows.
 * Run: `npx tsx test/bench/audit.bench.ts`. Writes bench/results/audit.json.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { sealAllAudit, sealAuditBatch, verifyAuditChain } from '@parcours/audit';
import {
  agents,
  auditEvents,
  caseMembers,
  cases,
  type Database,
  type DatabaseHandle,
  memberships,
  openDatabase,
  organisations,
  personIdentities,
  persons,
  territories,
  withActor,
} from '@parcours/db';
import { asc, eq, sql } from 'drizzle-orm';
import postgres from 'postgres';

const serverUrl = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const readsPerVariant = Number(process.env.BENCH_READS ?? 3_000);
const repositoryRoot = join(import.meta.dirname, '..', '..');

async function createDatabase(maxConnections: number): Promise<DatabaseHandle & { drop(): Promise<void> }> {
  const name = `parcours_bench_audit_${randomBytes(4).toString('hex')}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}"`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const handle = await openDatabase({ url: url.toString(), maxConnections });
  await handle.migrate();
  return {
    ...handle,
    drop: async () => {
      await handle.close();
      const dropper = postgres(serverUrl, { max: 1, onnotice: () => {} });
      await dropper.unsafe(`drop database if exists "${name}" with (force)`);
      await dropper.end();
    },
  };
}

const percentile = (sorted: readonly number[], p: number) =>
  sorted[Math.max(0, Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN;
const round = (value: number, digits = 3) => Number(value.toFixed(digits));
const summary = (latencies: number[]) => {
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    reads: sorted.length,
    p50Ms: round(percentile(sorted, 50)),
    p95Ms: round(percentile(sorted, 95)),
    p99Ms: round(percentile(sorted, 99)),
  };
};

interface World {
  agentId: string;
  organisationId: string;
  caseIds: string[];
}

async function seed(db: Database): Promise<World> {
  const territoryId = 'bench-05';
  await db.insert(territories).values({ id: territoryId, name: 'Hautes-Alpes (banc)', departementCode: '05' });
  const [organisation] = await db
    .insert(organisations)
    .values({ territoryId, name: 'France Services (banc)', kind: 'france_services' })
    .returning({ id: organisations.id });
  const [agent] = await db
    .insert(agents)
    .values({ email: 'banc@example.test', displayName: 'Banc' })
    .returning({ id: agents.id });
  const organisationId = organisation?.id as string;
  const agentId = agent?.id as string;
  await db.insert(memberships).values({ agentId, organisationId, roles: ['reception'] });
  const caseIds: string[] = [];
  for (let index = 0; index < 200; index += 1) {
    const [person] = await db.insert(persons).values({ createdByOrganisationId: organisationId }).returning({ id: persons.id });
    const personId = person?.id as string;
    await db
      .insert(personIdentities)
      .values({ personId, familyName: `Banc${index}`, givenNames: 'Essai', searchKey: `banc${index} essai` });
    const [row] = await db
      .insert(cases)
      .values({
        territoryId,
        entryOrganisationId: organisationId,
        referentOrganisationId: organisationId,
        channel: 'physical',
        expressedRequest: 'Demande de banc',
        machineId: 'journey',
        machineVersion: 1,
        snapshot: {},
        stateValue: 'reception',
        stage: 'reception',
      })
      .returning({ id: cases.id });
    caseIds.push(row?.id as string);
    await db.insert(caseMembers).values({ caseId: row?.id as string, personId, role: 'primary' });
  }
  return { agentId, organisationId, caseIds };
}

type Variant = 'plain' | 'audited' | 'auditedAsyncCommit';
const variants: Variant[] = ['plain', 'audited', 'auditedAsyncCommit'];

/**
 * The desk's case read in one transaction: without its audit row, with it (what the desk does), or with
 * it and `synchronous_commit = off` for that transaction (the commit does not wait for the WAL flush: the
 * cost that turning a read-only transaction into a writing one adds). Answers its latency in ms.
 */
async function readCase(db: Database, world: World, caseId: string, variant: Variant): Promise<number> {
  const audited = variant !== 'plain';
  const started = performance.now();
  await withActor(db, { kind: 'agent', id: world.agentId, organisationId: world.organisationId }, async (tx) => {
    if (variant === 'auditedAsyncCommit') await tx.execute(sql`set local synchronous_commit = off`);
    const [row] = await tx.select().from(cases).where(eq(cases.id, caseId));
    const members = await tx
      .select({ personId: caseMembers.personId, role: caseMembers.role, familyName: personIdentities.familyName })
      .from(caseMembers)
      .leftJoin(personIdentities, eq(personIdentities.personId, caseMembers.personId))
      .where(eq(caseMembers.caseId, caseId))
      .orderBy(asc(caseMembers.createdAt));
    if (!row || members.length === 0) throw new Error('bench case missing');
    if (audited) {
      await tx.insert(auditEvents).values({
        at: new Date(),
        actorKind: 'agent',
        actorId: world.agentId,
        organisationId: world.organisationId,
        action: 'case.read',
        subjectKind: 'case',
        subjectIds: [caseId, ...members.map((member) => member.personId)],
        outcome: 'allowed',
        requestId: 'bench',
      });
    }
  });
  return performance.now() - started;
}

/** `clients` loops, each running the variants in turn (rotating the order), so all see the same conditions. */
async function measure(db: Database, world: World, clients: number) {
  const latencies: Record<Variant, number[]> = { plain: [], audited: [], auditedAsyncCommit: [] };
  const perClient = Math.ceil(readsPerVariant / clients);
  await Promise.all(
    Array.from({ length: clients }, async (_, client) => {
      for (let index = 0; index < perClient; index += 1) {
        const caseId = world.caseIds[(client * perClient + index) % world.caseIds.length] as string;
        for (let turn = 0; turn < variants.length; turn += 1) {
          const variant = variants[(index + turn) % variants.length] as Variant;
          latencies[variant].push(await readCase(db, world, caseId, variant));
        }
      }
    }),
  );
  const without = summary(latencies.plain);
  const withAudit = summary(latencies.audited);
  const withAsync = summary(latencies.auditedAsyncCommit);
  return {
    clients,
    withoutAudit: without,
    withAudit,
    withAuditAsyncCommit: withAsync,
    addedP50Ms: round(withAudit.p50Ms - without.p50Ms),
    addedP95Ms: round(withAudit.p95Ms - without.p95Ms),
    addedP95MsAsyncCommit: round(withAsync.p95Ms - without.p95Ms),
  };
}

const loadAverageAtStart = loadavg().map((value) => round(value, 2));
const database = await createDatabase(12);
try {
  const db = database.db;
  const world = await seed(db);
  // Warm-up: connections, plans, caches.
  for (let index = 0; index < 300; index += 1) {
    await readCase(db, world, world.caseIds[index % 200] as string, variants[index % 3] as Variant);
  }

  const sequential = await measure(db, world, 1);
  const concurrent = await measure(db, world, 8);

  // The same, with a sealer running flat out beside the requests. Its margin is one second, not zero:
  // with zero, rows committed out of sequence order land in sealed ranges (a first run showed it).
  let sealing = true;
  let seals = 0;
  const sealer = (async () => {
    while (sealing) {
      const { seal } = await sealAuditBatch(db, { now: new Date(), safetyMarginMs: 1_000 });
      if (seal) seals += 1;
      else await new Promise((resolve) => setTimeout(resolve, 5));
    }
  })();
  const whileSealing = await measure(db, world, 8);
  sealing = false;
  await sealer;

  // Sealing and verifying cost, per 1,000 rows, on what the run wrote (every writer has finished: margin 0).
  const sealStarted = performance.now();
  await sealAllAudit(db, { now: new Date(Date.now() + 60_000), safetyMarginMs: 0 });
  const sealMs = performance.now() - sealStarted;
  const verifyStarted = performance.now();
  const verification = await verifyAuditChain(db);
  const verifyMs = performance.now() - verifyStarted;
  if (!verification.ok) throw new Error(`chain not clean after the run: ${verification.findings[0]?.message}`);

  const result = {
    benchmark: 'audit write per request, and the hash chain beside it',
    date: new Date().toISOString(),
    machine: {
      cpus: cpus().length,
      cpu: cpus()[0]?.model ?? 'unknown',
      node: process.version,
      loadAverageAtStart,
      loadAverageAtEnd: loadavg().map((value) => round(value, 2)),
    },
    database: 'PostgreSQL on 127.0.0.1 (postgres.js, pool of 12)',
    readsPerVariant,
    target: 'audit write adds < 1 ms p95 per request',
    sequential,
    concurrent,
    concurrentWhileSealing: { ...whileSealing, sealerMarginMs: 1_000, sealsWrittenMeanwhile: seals },
    chain: {
      rows: verification.sealedRows,
      seals: verification.seals,
      sealRemainderMs: round(sealMs, 1),
      verifyMs: round(verifyMs, 1),
      verifyMsPer1000Rows: round((verifyMs / verification.sealedRows) * 1000, 2),
    },
    meetsTarget: sequential.addedP95Ms < 1 && concurrent.addedP95Ms < 1 && whileSealing.addedP95Ms < 1,
  };
  await mkdir(join(repositoryRoot, 'bench', 'results'), { recursive: true });
  await writeFile(join(repositoryRoot, 'bench', 'results', 'audit.json'), `${JSON.stringify(result, null, 2)}\n`);
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
} finally {
  await database.drop();
}
