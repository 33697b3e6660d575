/**
 * Consent + policy benchmark (issue 7): what the partner policy adds to a case read. On PostgreSQL, each
 * iteration reads one case in its own `withActor` transaction, as the desk does (case row, members with
 * identities, audit row), then the same read with the partner policy in front of it: the case's primary
 * person, that person's consents (read fresh, never cached), the pure decision of `@parcours/consent`.
 * The two are interleaved so that drift affects both alike. The person holds several consents, one of
 * them withdrawn and one for another recipient, so the decision has to look. Writes bench/results/policy.json.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { disclosableCategories } from '@parcours/consent';
import {
  agents,
  auditEvents,
  caseMembers,
  cases,
  consents,
  type Executor,
  organisations,
  personIdentities,
  persons,
  referrals,
  territories,
  withActor,
} from '@parcours/db';
import type { DataCategory } from '@parcours/vocabulary';
import { and, asc, eq } from 'drizzle-orm';
import { createBenchDatabase, percentile, round } from './bench-database.ts';

const iterations = Number(process.env.BENCH_ITERATIONS ?? 2000);
const warmup = 200;
const repositoryRoot = join(import.meta.dirname, '..', '..');

const database = await createBenchDatabase(4);
try {
  const db = database.db;
  await db.insert(territories).values({ id: 'bench-05', name: 'Banc', departementCode: '05' });
  const [entry, partner, other] = await db
    .insert(organisations)
    .values([
      { territoryId: 'bench-05', name: 'France Services (banc)', kind: 'france_services' },
      { territoryId: 'bench-05', name: 'CAF (banc)', kind: 'caf' },
      { territoryId: 'bench-05', name: 'CCAS (banc)', kind: 'ccas' },
    ])
    .returning({ id: organisations.id });
  const [agent] = await db
    .insert(agents)
    .values({ email: 'banc@example.test', displayName: 'Banc' })
    .returning({ id: agents.id });
  const [person] = await db.insert(persons).values({ createdByOrganisationId: entry?.id }).returning({ id: persons.id });
  if (!entry || !partner || !other || !agent || !person) throw new Error('bench seed failed');
  await db
    .insert(personIdentities)
    .values({ personId: person.id, familyName: 'Banc', givenNames: 'Essai', searchKey: 'banc essai' });
  const [row] = await db
    .insert(cases)
    .values({
      territoryId: 'bench-05',
      entryOrganisationId: entry.id,
      referentOrganisationId: entry.id,
      channel: 'physical',
      expressedRequest: 'Essai',
      machineId: 'journey',
      machineVersion: 1,
      snapshot: {},
      stateValue: 'x',
      stage: 'followUp',
    })
    .returning({ id: cases.id });
  if (!row) throw new Error('bench seed failed');
  const caseId = row.id;
  await db.insert(caseMembers).values({ caseId, personId: person.id, role: 'primary' });
  // The referral that brings the partner to this case: without it row-level security shows the partner nothing.
  await db.insert(referrals).values({
    caseId,
    fromOrganisationId: entry.id,
    toOrganisationId: partner.id,
    purpose: 'rights_opening',
    sharedCategories: ['identity', 'contact', 'situation_summary', 'health'],
    machineId: 'referral',
    machineVersion: 1,
    snapshot: {},
    stateValue: 'sent',
    status: 'sent',
  });
  const now = new Date();
  const hourAgo = new Date(now.getTime() - 3_600_000);
  const base = {
    personId: person.id,
    givenBy: 'person',
    informationShown: ['what_is_shared', 'with_whom', 'by_what_means', 'which_security'],
    noticeVersion: 1,
    noticeSha256: '0'.repeat(64),
    method: 'oral_attested',
    collectedByAgentId: agent.id,
    collectedByOrganisationId: entry.id,
    collectedAt: hourAgo,
  };
  await db.insert(consents).values([
    { ...base, decision: 'consent', recipientOrganisationIds: [other.id], purposes: ['housing'], categories: ['identity'] },
    {
      ...base,
      decision: 'consent',
      recipientOrganisationIds: [partner.id],
      purposes: ['rights_opening'],
      categories: ['identity', 'contact', 'situation_summary', 'assessment', 'health'],
      withdrawnAt: now,
      withdrawnBy: 'person',
      withdrawalChannel: 'phone',
    },
    {
      ...base,
      decision: 'consent',
      recipientOrganisationIds: [partner.id, other.id],
      purposes: ['rights_opening', 'social_support'],
      categories: ['identity', 'contact', 'situation_summary'],
    },
  ]);

  const actor = { kind: 'agent' as const, id: agent.id, organisationId: partner.id };
  const referral = {
    recipientOrganisationId: partner.id,
    purpose: 'rights_opening' as const,
    categories: ['identity', 'contact', 'situation_summary', 'health'] as DataCategory[],
  };

  /** The case read as the desk's getCase does it: row, members with identities, audit row. */
  async function readCase(tx: Executor) {
    const [found] = await tx.select().from(cases).where(eq(cases.id, caseId));
    const members = await tx
      .select({ personId: caseMembers.personId, familyName: personIdentities.familyName })
      .from(caseMembers)
      .leftJoin(personIdentities, eq(personIdentities.personId, caseMembers.personId))
      .where(eq(caseMembers.caseId, caseId))
      .orderBy(asc(caseMembers.createdAt));
    await tx.insert(auditEvents).values({
      actorKind: 'agent',
      actorId: agent?.id,
      organisationId: partner?.id,
      action: 'bench.read',
      subjectKind: 'case',
      subjectIds: [caseId],
      outcome: 'allowed',
    });
    return { found, members };
  }

  /** The partner policy in front of it: the primary person, their consents now, the decision. */
  async function decide(tx: Executor) {
    // The desk's query (consentFactsOfCase): the primary person and their consents in one round trip.
    const rows = await tx
      .select({
        personId: caseMembers.personId,
        consent: {
          id: consents.id,
          decision: consents.decision,
          recipientOrganisationIds: consents.recipientOrganisationIds,
          purposes: consents.purposes,
          categories: consents.categories,
          collectedAt: consents.collectedAt,
          expiresAt: consents.expiresAt,
          withdrawnAt: consents.withdrawnAt,
        },
      })
      .from(caseMembers)
      .leftJoin(consents, eq(consents.personId, caseMembers.personId))
      .where(and(eq(caseMembers.caseId, caseId), eq(caseMembers.role, 'primary')));
    const disclosure = disclosableCategories(
      rows.flatMap((row) =>
        row.consent ? [{ ...row.consent, decision: row.consent.decision as 'consent' | 'opposition' }] : [],
      ),
      referral,
      new Date(),
      { mayReadHealth: false },
    );
    if (!disclosure || disclosure.categories.includes('health')) throw new Error('policy decided wrongly');
    return disclosure;
  }

  const plain: number[] = [];
  const withPolicy: number[] = [];
  const policyOnly: number[] = [];
  for (let index = 0; index < warmup + iterations; index += 1) {
    const t0 = performance.now();
    await withActor(db, actor, (tx) => readCase(tx));
    const t1 = performance.now();
    let policyMs = 0;
    await withActor(db, actor, async (tx) => {
      const p0 = performance.now();
      await decide(tx);
      policyMs = performance.now() - p0;
      await readCase(tx);
    });
    const t2 = performance.now();
    if (index >= warmup) {
      plain.push(t1 - t0);
      withPolicy.push(t2 - t1);
      policyOnly.push(policyMs);
    }
  }
  const sorted = (values: number[]) => [...values].sort((a, b) => a - b);
  const [plainSorted, withSorted, policySorted] = [sorted(plain), sorted(withPolicy), sorted(policyOnly)];
  const summary = (values: number[]) => ({
    p50: round(percentile(values, 50), 3),
    p95: round(percentile(values, 95), 3),
    p99: round(percentile(values, 99), 3),
  });
  const addedP95 = percentile(withSorted, 95) - percentile(plainSorted, 95);
  const result = {
    benchmark: 'consent + partner policy check added to a case read',
    measuredAt: new Date().toISOString(),
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? 'unknown',
      node: process.version,
      loadAverage1m: round(loadavg()[0] ?? 0),
    },
    database: 'PostgreSQL (postgres.js), one transaction per read, as the desk',
    iterations,
    consentsOfThePerson: 3,
    caseReadMs: summary(plainSorted),
    caseReadWithPolicyMs: summary(withSorted),
    policyCheckInsideTheReadMs: summary(policySorted),
    addedP95Ms: round(addedP95, 3),
    targetP95Ms: 2,
    meetsTarget: percentile(policySorted, 95) < 2 && addedP95 < 2,
  };
  await mkdir(join(repositoryRoot, 'bench/results'), { recursive: true });
  await writeFile(join(repositoryRoot, 'bench/results/policy.json'), `${JSON.stringify(result, null, 2)}\n`);
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
} finally {
  await database.drop();
}
