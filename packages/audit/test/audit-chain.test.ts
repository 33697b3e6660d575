import { randomUUID } from 'node:crypto';
import { auditEvents, auditRowDigestOf, type Database, rowsOf } from '@parcours/db';
import { availableBackends, createTestDatabase, type TestDatabase } from '@parcours/testing';
import { getTableColumns, sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type AuditFinding,
  canonicalColumns,
  readCanonicalLines,
  readChainHead,
  sealAllAudit,
  sealAuditBatch,
  verifyAuditChain,
} from '../src/index.ts';

const later = new Date('2100-01-01T00:00:00Z');
const open: TestDatabase[] = [];

async function freshDatabase(backend: 'postgres' | 'pglite', maxConnections?: number): Promise<Database> {
  const handle = await createTestDatabase(maxConnections ? { backend, maxConnections } : { backend });
  open.push(handle);
  return handle.db;
}

afterEach(async () => {
  await Promise.all(open.splice(0).map((handle) => handle.close()));
});

/** `count` audit rows, a second apart from `start`, with a microsecond part the JavaScript Date cannot hold. */
async function insertRows(db: Database, count: number, start = '2026-03-02T09:00:00.123456Z'): Promise<string[]> {
  const ids: string[] = [];
  for (let index = 0; index < count; index += 1) {
    const caseId = randomUUID();
    ids.push(caseId);
    await db.execute(sql`
      insert into audit_events (at, actor_kind, actor_id, organisation_id, action, subject_kind, subject_ids, purpose, outcome, request_id)
      values (${start}::timestamptz + ${`${index} seconds`}::interval, 'agent', ${randomUUID()}, ${randomUUID()}::uuid, 'case.read', 'case',
              array[${caseId}, ${randomUUID()}]::text[], ${index % 2 === 0 ? 'social_support' : null}, 'allowed', ${`req-${index}`})`);
  }
  return ids;
}

async function asSuperuserBypassingTriggers(
  db: Database,
  table: 'audit_events' | 'audit_seals',
  statement: ReturnType<typeof sql>,
) {
  await db.execute(sql.raw(`alter table ${table} disable trigger user`));
  try {
    await db.execute(statement);
  } finally {
    await db.execute(sql.raw(`alter table ${table} enable trigger user`));
  }
}

const kindsOf = (findings: AuditFinding[]) => findings.map((finding) => [finding.kind, finding.sealNumber, finding.sequence]);

/** Columns outside the chain's line, and why. */
const outsideTheLine: Record<string, string> = {
  row_digest: 'the keyed digest of the same content, checked against it by the verifier (a digest of a digest adds nothing)',
};

it('when a column is added to audit_events, then the canonical serialisation must name it (a new version)', () => {
  const tableColumns = Object.values(getTableColumns(auditEvents))
    .map((column) => column.name)
    .filter((name) => !(name in outsideTheLine));
  expect([...tableColumns].sort()).toEqual([...canonicalColumns].sort());
});

const digestKey = 'a key the database never holds, long enough';

/** An audit row as the desk and the engine write one: its digest computed from the same values. */
async function insertDigestedRow(db: Database, index: number): Promise<void> {
  const row = {
    at: new Date(Date.UTC(2026, 2, 2, 9, 0, index, 123)),
    actorKind: 'agent',
    actorId: randomUUID(),
    organisationId: randomUUID(),
    action: 'case.read',
    subjectKind: 'case',
    subjectIds: [randomUUID()],
    purpose: index % 2 === 0 ? 'social_support' : null,
    consentId: null,
    outcome: 'allowed',
    requestId: `req-${index}`,
  };
  await db.insert(auditEvents).values({ ...row, rowDigest: auditRowDigestOf(row, digestKey) });
}

describe.each(availableBackends())('audit chain on %s', (backend) => {
  it('when rows are sealed, then verification is clean and covers every row', async () => {
    const db = await freshDatabase(backend);
    await insertRows(db, 7);
    const seals = await sealAllAudit(db, { now: later, maxRows: 3 });
    expect(seals.map((seal) => [seal.number, seal.fromSequence, seal.toSequence, seal.rowCount])).toEqual([
      [1, 1, 3, 3],
      [2, 4, 6, 3],
      [3, 7, 7, 1],
    ]);
    expect(seals[1]?.previousHash).toBe(seals[0]?.hash);
    const result = await verifyAuditChain(db);
    expect(result).toMatchObject({ ok: true, findings: [], seals: 3, sealedRows: 7, unsealedRows: 0 });
    expect(result.head).toEqual({ number: 3, toSequence: 7, hash: seals[2]?.hash });
    // Nothing new: sealing again writes nothing.
    expect(await sealAuditBatch(db, { now: later })).toEqual({ seal: null, more: false });
  });

  it('when rows are younger than the safety margin, then they wait for a later round', async () => {
    const db = await freshDatabase(backend);
    await insertRows(db, 5, '2026-03-02T09:00:00Z');
    const now = new Date('2026-03-02T09:02:02Z');
    // Margin 2 minutes: 09:00:00 and 09:00:01 are older than 09:00:02, the rest is not.
    const first = await sealAuditBatch(db, { now });
    expect(first.seal).toMatchObject({ number: 1, fromSequence: 1, toSequence: 2, rowCount: 2 });
    expect((await verifyAuditChain(db)).unsealedRows).toBe(3);
    const second = await sealAuditBatch(db, { now: new Date('2026-03-02T09:10:00Z') });
    expect(second.seal).toMatchObject({ number: 2, fromSequence: 3, toSequence: 5, rowCount: 3 });
  });

  it('when sequences were skipped by rolled-back transactions, then the seals still cover contiguous ranges', async () => {
    const db = await freshDatabase(backend);
    await insertRows(db, 2);
    await db.execute(sql`select nextval('audit_events_sequence_seq'), nextval('audit_events_sequence_seq')`);
    await insertRows(db, 2);
    const [seal] = await sealAllAudit(db, { now: later });
    expect(seal).toMatchObject({ fromSequence: 1, toSequence: 6, rowCount: 4 });
    expect((await verifyAuditChain(db)).ok).toBe(true);
  });

  it('when a row is changed before its seal, then its keyed digest no longer matches; a row without one is named', async () => {
    const db = await freshDatabase(backend);
    for (let index = 0; index < 4; index += 1) await insertDigestedRow(db, index);
    expect(await verifyAuditChain(db, { digestKey })).toMatchObject({ ok: true, unsealedRows: 4 });
    // Not sealed yet: the chain alone would seal the changed row as it now is.
    await asSuperuserBypassingTriggers(db, 'audit_events', sql`update audit_events set outcome = 'denied' where sequence = 2`);
    await insertRows(db, 1);
    const result = await verifyAuditChain(db, { digestKey });
    expect(kindsOf(result.findings)).toEqual([
      ['row_digest_mismatch', null, 2],
      ['row_digest_missing', null, 5],
    ]);
    // The same rows under another key all mismatch: the key, not the table, makes the digest.
    const forged = await verifyAuditChain(db, { digestKey: 'another key of at least thirty-two characters' });
    expect(forged.findings.filter((finding) => finding.kind === 'row_digest_mismatch')).toHaveLength(4);
  });

  it('when anyone updates, deletes or truncates audit rows or seals, then the database refuses', async () => {
    const db = await freshDatabase(backend);
    await insertRows(db, 2);
    await sealAllAudit(db, { now: later });
    const refused = [
      sql`update audit_events set outcome = 'denied' where sequence = 1`,
      sql`delete from audit_events where sequence = 2`,
      sql`truncate audit_events`,
      sql`update audit_seals set row_count = 1`,
      sql`delete from audit_seals`,
      sql`truncate audit_seals`,
    ];
    for (const statement of refused) {
      const error = await db.execute(statement).then(
        () => null,
        (caught: unknown) => caught as Error & { cause?: Error },
      );
      expect(error?.cause?.message ?? error?.message).toMatch(/the audit is append-only/);
    }
    expect(rowsOf<{ count: number }>(await db.execute(sql`select count(*)::int as count from audit_events`))[0]?.count).toBe(2);
    expect((await verifyAuditChain(db)).ok).toBe(true);
  });

  it('when a sealed row is deleted behind the triggers, then verification names the seal and the row', async () => {
    const db = await freshDatabase(backend);
    await insertRows(db, 6);
    await sealAllAudit(db, { now: later, maxRows: 3 });
    await asSuperuserBypassingTriggers(db, 'audit_events', sql`delete from audit_events where sequence = 5`);
    const result = await verifyAuditChain(db);
    expect(result.ok).toBe(false);
    expect(kindsOf(result.findings)).toEqual([['row_removed', 2, 5]]);
  });

  it('when a sealed row is altered, then verification names it', async () => {
    const db = await freshDatabase(backend);
    await insertRows(db, 4);
    await sealAllAudit(db, { now: later });
    // A millisecond's difference in time, and an outcome rewritten: both are caught.
    await asSuperuserBypassingTriggers(
      db,
      'audit_events',
      sql`update audit_events set at = at + interval '1 microsecond' where sequence = 2`,
    );
    await asSuperuserBypassingTriggers(db, 'audit_events', sql`update audit_events set outcome = 'denied' where sequence = 4`);
    expect(kindsOf((await verifyAuditChain(db)).findings)).toEqual([
      ['row_altered', 1, 2],
      ['row_altered', 1, 4],
    ]);
  });

  it('when a row is slipped into a sealed range, then verification names it', async () => {
    const db = await freshDatabase(backend);
    await insertRows(db, 2);
    await db.execute(sql`select nextval('audit_events_sequence_seq')`);
    await insertRows(db, 1);
    await sealAllAudit(db, { now: later });
    await db.execute(sql`
      insert into audit_events (sequence, at, actor_kind, action, subject_kind, outcome)
      values (3, '2026-03-02T09:00:01Z', 'system', 'case.read', 'case', 'allowed')`);
    expect(kindsOf((await verifyAuditChain(db)).findings)).toEqual([['row_inserted', 1, 3]]);
  });

  it('when a seal is altered, then verification says which one and how', async () => {
    const db = await freshDatabase(backend);
    await insertRows(db, 6);
    await sealAllAudit(db, { now: later, maxRows: 2 });
    await asSuperuserBypassingTriggers(
      db,
      'audit_seals',
      sql`update audit_seals set rows_digest = repeat('a', 64) where number = 2`,
    );
    const findings = (await verifyAuditChain(db)).findings;
    expect(kindsOf(findings)).toEqual([
      ['seal_altered', 2, null],
      ['seal_altered', 2, null],
    ]);
    expect(findings.map((finding) => finding.message)).toEqual([
      'seal 2: its hash does not match its fields',
      'seal 2: its row manifest does not match its digest or count',
    ]);
  });

  it('when a seal is altered and its hash recomputed, then the next seal no longer links to it', async () => {
    const db = await freshDatabase(backend);
    await insertRows(db, 6);
    await sealAllAudit(db, { now: later, maxRows: 2 });
    await asSuperuserBypassingTriggers(db, 'audit_seals', sql`update audit_seals set hash = repeat('b', 64) where number = 1`);
    expect(kindsOf((await verifyAuditChain(db)).findings)).toEqual([
      ['seal_altered', 1, null],
      ['seal_link_broken', 2, null],
    ]);
  });

  it('when a seal is removed, then verification reports the missing number, the broken link and the unsealed range', async () => {
    const db = await freshDatabase(backend);
    await insertRows(db, 6);
    await sealAllAudit(db, { now: later, maxRows: 2 });
    await asSuperuserBypassingTriggers(db, 'audit_seals', sql`delete from audit_seals where number = 2`);
    expect(kindsOf((await verifyAuditChain(db)).findings)).toEqual([
      ['seal_missing', 3, null],
      ['seal_link_broken', 3, null],
      ['seal_range_gap', 3, null],
    ]);
  });

  it('when the newest seals are cut off, then only the recorded head reveals it', async () => {
    const db = await freshDatabase(backend);
    await insertRows(db, 6);
    await sealAllAudit(db, { now: later, maxRows: 2 });
    const head = await readChainHead(db);
    expect(head?.number).toBe(3);
    await asSuperuserBypassingTriggers(db, 'audit_seals', sql`delete from audit_seals where number = 3`);
    expect((await verifyAuditChain(db)).ok).toBe(true);
    const checked = await verifyAuditChain(db, { expectHead: { number: 3, hash: head?.hash ?? '' } });
    expect(kindsOf(checked.findings)).toEqual([['head_mismatch', 3, null]]);
  });
});

describe.runIf(availableBackends().includes('postgres'))('audit chain on PostgreSQL only', () => {
  it('when rows are the same, then postgres.js and PGlite serialise them to the same bytes', async () => {
    const [onPostgres, onPglite] = [await freshDatabase('postgres'), await freshDatabase('pglite')];
    for (const db of [onPostgres, onPglite]) {
      await db.execute(sql`
        insert into audit_events (at, actor_kind, actor_id, organisation_id, action, subject_kind, subject_ids, purpose, consent_id, outcome, request_id)
        values ('2026-03-02T10:00:00.000001+01:00', 'agent', 'a1', '6f1c1d9e-0000-4000-8000-00000000000a', 'referral.disclose', 'referral',
                array['b2', 'é"\\,{}', '6F1C1D9E-0000-4000-8000-00000000000B']::text[], 'housing', '6f1c1d9e-0000-4000-8000-00000000000c', 'allowed', null),
               ('2026-03-02T09:00:00Z', 'system', null, null, 'case.transition', 'case', '{}', null, null, 'failed', 'r')`);
    }
    const [linesPostgres, linesPglite] = [
      await readCanonicalLines(onPostgres, sql`true`),
      await readCanonicalLines(onPglite, sql`true`),
    ];
    expect(linesPostgres).toEqual(linesPglite);
    expect(linesPostgres[0]).toBe(
      '["1","2026-03-02T09:00:00.000001Z","agent","a1","6f1c1d9e-0000-4000-8000-00000000000a","referral.disclose","referral",["b2","é\\"\\\\,{}","6F1C1D9E-0000-4000-8000-00000000000B"],"housing","6f1c1d9e-0000-4000-8000-00000000000c","allowed",null]',
    );
    const [sealPostgres] = await sealAllAudit(onPostgres, { now: later });
    const [sealPglite] = await sealAllAudit(onPglite, { now: later });
    expect(sealPostgres?.hash).toBe(sealPglite?.hash);
  });

  it('when several sealers race while requests write, then the chain does not fork and covers every row once', async () => {
    const db = await freshDatabase('postgres', 12);
    await insertRows(db, 40);
    const sealers = Array.from({ length: 6 }, async () => {
      for (let round = 0; round < 8; round += 1) {
        await sealAuditBatch(db, { now: later, maxRows: 7 });
        await insertRows(db, 1);
      }
    });
    await Promise.all(sealers);
    await sealAllAudit(db, { now: later, maxRows: 7 });
    const result = await verifyAuditChain(db);
    expect(result).toMatchObject({ ok: true, sealedRows: 88, unsealedRows: 0 });
    const numbers = rowsOf<{ number: number; previous_hash: string }>(
      await db.execute(sql`select number::int as number, previous_hash from audit_seals order by number`),
    );
    expect(numbers.map((row) => row.number)).toEqual(numbers.map((_, index) => index + 1));
    expect(new Set(numbers.map((row) => row.previous_hash)).size).toBe(numbers.length);
  });
});
