import { randomBytes } from 'node:crypto';
import { jobFailures } from '@parcours/db';
import type { RetryPolicy } from '@parcours/jobs';
import { createLogger } from '@parcours/observability';
import { createTestDatabase, redisForTests, type TestDatabase } from '@parcours/testing';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJobProcessor, type JobHandlers } from '../src/jobs/job-processor.ts';
import { createBullmqRunner, obliterateQueues } from '../src/runners/bullmq.runner.ts';
import { createInProcessRunner } from '../src/runners/in-process.runner.ts';
import type { JobRunner } from '../src/runners/job-runner.ts';
import { sleep, waitFor } from './support.ts';

const redis = redisForTests();
const logger = createLogger({ name: 'runner-test' });
const prefix = `parcours-test-${randomBytes(4).toString('hex')}`;
const runners = [
  { name: 'in-process', create: (): JobRunner => createInProcessRunner({ logger }) },
  ...(redis.url
    ? [{ name: 'bullmq', create: (): JobRunner => createBullmqRunner({ redisUrl: redis.url as string, logger, prefix }) }]
    : []),
];
const retry: RetryPolicy = { attempts: 4, backoff: { type: 'exponential', delayMs: 20 } };
const timer = (n: number) => ({ timerRowId: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`, armedRevision: 1 });

// Without Redis (outside CI only), the BullMQ suites are absent: one skipped entry says why.
if (redis.url === null) {
  describe.skip(`job runners: bullmq skipped — ${redis.skipReason}`, () => {
    it('needs Redis', () => {});
  });
}

describe.each(runners)('the $name runner', ({ create }) => {
  let database: TestDatabase;
  let runner: JobRunner;
  const runs: Array<{ jobId: string; at: number }> = [];
  let failUntilAttempt = 0;

  beforeAll(async () => {
    database = await createTestDatabase();
    runner = create();
    const handler = async (_payload: unknown, job: { id: string }) => {
      runs.push({ jobId: job.id, at: Date.now() });
      if (runs.filter((run) => run.jobId === job.id).length < failUntilAttempt) throw new Error('transient');
    };
    const handlers = new Proxy({}, { get: () => handler }) as JobHandlers;
    await runner.start(createJobProcessor({ db: database.db, logger, handlers, retryPolicyOf: () => retry }));
  });
  afterAll(async () => {
    await runner?.stop();
    await runner?.close();
    if (redis.url) await obliterateQueues(redis.url, prefix);
    await database?.close();
  });
  const failuresOf = (jobId: string) => database.db.select().from(jobFailures).where(eq(jobFailures.jobId, jobId));
  const runsOf = (jobId: string) => runs.filter((run) => run.jobId === jobId);

  it('when a payload fails validation at run time, then the job fails once, without retry, as poison', async () => {
    await runner.add('timer.deliver', { timerRowId: 'Camille', armedRevision: -1 }, { jobId: 'poison-1', retry });
    const [failure] = await waitFor(
      async () => ((await failuresOf('poison-1')).length > 0 ? failuresOf('poison-1') : null),
      'the poison record',
    );
    await sleep(150);
    expect(runsOf('poison-1')).toHaveLength(0);
    expect(failure).toMatchObject({ poison: true, attempts: 1, jobName: 'timer.deliver' });
    expect(await failuresOf('poison-1')).toHaveLength(1);
  });

  it('when a handler fails, then it is retried with exponential backoff until it succeeds', async () => {
    failUntilAttempt = 3;
    await runner.add('timer.deliver', timer(1), { jobId: 'flaky-1', retry });
    await waitFor(async () => runsOf('flaky-1').length === 3, 'three runs');
    await sleep(100);
    const [first, second, third] = runsOf('flaky-1').map((run) => run.at);
    expect(runsOf('flaky-1')).toHaveLength(3);
    // 20 ms, then 40 ms (timers are never early; allow a little scheduling slack below).
    expect((second as number) - (first as number)).toBeGreaterThanOrEqual(15);
    expect((third as number) - (second as number)).toBeGreaterThanOrEqual(35);
    expect(await failuresOf('flaky-1')).toHaveLength(0);
  });

  it('when a handler keeps failing, then it runs the policy’s attempts and is recorded once as failed', async () => {
    failUntilAttempt = 100;
    await runner.add('timer.deliver', timer(2), { jobId: 'broken-1', retry });
    await waitFor(async () => ((await failuresOf('broken-1')).length > 0 ? true : null), 'the failure record');
    await sleep(150);
    expect(runsOf('broken-1')).toHaveLength(4);
    expect(await failuresOf('broken-1')).toMatchObject([{ attempts: 4, poison: false, error: 'Error: transient' }]);
  });

  it('when a job id is already waiting, then adding it again is a no-op; a delayed job can be removed', async () => {
    failUntilAttempt = 0;
    await runner.add('timer.deliver', timer(3), { jobId: 'delayed-1', delayMs: 200, retry });
    await runner.add('timer.deliver', timer(3), { jobId: 'delayed-1', delayMs: 0, retry });
    await runner.add('timer.deliver', timer(4), { jobId: 'delayed-2', delayMs: 200, retry });
    await runner.remove('timer.deliver', 'delayed-2');
    await sleep(100);
    expect(runsOf('delayed-1')).toHaveLength(0);
    await waitFor(async () => runsOf('delayed-1').length === 1, 'the delayed job');
    await sleep(250);
    expect(runsOf('delayed-1')).toHaveLength(1);
    expect(runsOf('delayed-2')).toHaveLength(0);
  });
});
