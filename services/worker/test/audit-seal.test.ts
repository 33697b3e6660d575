import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifyAuditChain } from '@parcours/audit';
import { rowsOf } from '@parcours/db';
import { createLogger } from '@parcours/observability';
import { createTestDatabase, type TestDatabase } from '@parcours/testing';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createWorker } from '../src/index.ts';
import { sleep, waitFor } from './support.ts';

let database: TestDatabase;
let captureDir: string;

beforeAll(async () => {
  database = await createTestDatabase();
  captureDir = await mkdtemp(join(tmpdir(), 'parcours-audit-seal-'));
});
afterAll(async () => {
  await database?.close();
  if (captureDir) await rm(captureDir, { recursive: true, force: true });
});

/** `count` rows in one statement, so that no seal can fall between them. */
async function insertAuditRows(count: number, at: string): Promise<void> {
  await database.db.execute(sql`
    insert into audit_events (at, actor_kind, action, subject_kind, subject_ids, outcome)
    select ${at}::timestamptz, 'system', 'case.read', 'case', array['case-' || n]::text[], 'allowed'
    from generate_series(1, ${count}::int) as n`);
}

const sealedUpTo = async () =>
  rowsOf<{ upto: number | null }>(await database.db.execute(sql`select max(to_sequence)::int as upto from audit_seals`))[0]
    ?.upto ?? null;

it('when two workers run, then their audit-seal tasks seal old rows once, in one chain, and leave young rows for later', async () => {
  const now = Date.now();
  await insertAuditRows(5, new Date(now - 10 * 60_000).toISOString());
  await insertAuditRows(2, new Date(now + 60_000).toISOString());
  const workers = [1, 2].map(() =>
    createWorker({
      db: database.db,
      logger: createLogger({ name: 'worker-test' }),
      redisUrl: null,
      mail: { captureDir, from: 'Parcours <parcours@example.test>' },
      publicUrl: 'https://parcours.example.test',
      relayIntervalMs: 1_000,
      sweepIntervalMs: 1_000,
      auditSealIntervalMs: 20,
    }),
  );
  for (const worker of workers) await worker.start();
  try {
    await waitFor(async () => ((await sealedUpTo()) === 5 ? true : null), 'the first seal');
    await sleep(150);
    expect(await sealedUpTo()).toBe(5);
    await insertAuditRows(3, new Date(now - 5 * 60_000).toISOString());
    await waitFor(async () => ((await sealedUpTo()) === 10 ? true : null), 'the second seal');
  } finally {
    for (const worker of workers) await worker.stop();
  }
  const result = await verifyAuditChain(database.db);
  // Rows 6 and 7 are younger than the margin; row 8…10 are older, and sealing them seals 6 and 7 with them.
  expect(result).toMatchObject({ ok: true, sealedRows: 10, unsealedRows: 0, findings: [] });
  expect(result.head?.number).toBe(2);
});
