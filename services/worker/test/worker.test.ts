import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { jobFailures, outbox } from '@parcours/db';
import { createTestDatabase, databaseTarget, redisForTests, type TestDatabase } from '@parcours/testing';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineHandlerSuite, type RunnerUnderTest } from './handler.suite.ts';

const redis = redisForTests();
const postgres = databaseTarget().backend === 'postgres';
// On PGlite, see worker-pglite.test.ts (its own file: PGlite's start-up would stall these suites' timers).
const runners: RunnerUnderTest[] = postgres
  ? [
      { name: 'in-process', backend: 'postgres', redisUrl: null },
      ...(redis.url ? [{ name: 'bullmq' as const, backend: 'postgres' as const, redisUrl: redis.url }] : []),
    ]
  : [];

// Without Redis (outside CI only), the BullMQ suites are absent: one skipped entry says why.
if (redis.url === null) {
  describe.skip(`worker on the bullmq runner — skipped: ${redis.skipReason}`, () => {
    it('needs Redis', () => {});
  });
}

// Both runners pass the same handler tests. Their suites run side by side (each has its own database,
// SMTP server and queue prefix); the tests inside each run one after the other.
describe.concurrent.each(runners)('worker on the $name runner, $backend', (runner) => {
  describe.sequential('handlers', () => defineHandlerSuite(runner));
});

describe.skipIf(!postgres)('jobs admin command', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase({ backend: 'postgres' });
  });
  afterAll(async () => {
    await database?.close();
  });

  it('when failures are listed and one is replayed, then it goes back to the outbox', async () => {
    const [failure] = await database.db
      .insert(jobFailures)
      .values({
        jobName: 'timer.deliver',
        jobId: 'timer:x:1',
        payload: { timerRowId: '00000000-0000-4000-8000-000000000001', armedRevision: 1 },
        error: 'Error: boom',
        attempts: 5,
      })
      .returning({ id: jobFailures.id });
    const run = (...args: string[]) =>
      promisify(execFile)(process.execPath, ['--import', 'tsx', new URL('../src/admin.ts', import.meta.url).pathname, ...args], {
        env: { ...process.env, DATABASE_URL: database.url as string },
      });
    const listed = await run('failed');
    expect(listed.stdout).toContain(failure?.id);
    expect(listed.stdout).toContain('timer.deliver');
    const replayed = await run('replay', failure?.id as string);
    expect(replayed.stdout).toContain('requeued');
    const rows = await database.db.select().from(outbox).where(eq(outbox.jobName, 'timer.deliver'));
    expect(rows).toHaveLength(1);
    expect((await run('failed')).stdout).not.toContain(failure?.id);
  });
});
