import { openDatabase } from '@parcours/db';
import { z } from 'zod';
import { listJobFailures, replayJobFailure } from './jobs/job-failures.repository.ts';

/**
 * Failed jobs, for an administrator:
 *   npm run -w @parcours/worker jobs -- failed
 *   npm run -w @parcours/worker jobs -- replay <failure id>
 * A replay puts the job back through the outbox; the running worker (whichever runner) picks it up.
 */
const usage = 'usage: jobs failed | jobs replay <failure id>\n';

const write = (text: string) => process.stdout.write(text);

async function main(args: string[]): Promise<number> {
  const [command, failureId] = args;
  if (command !== 'failed' && command !== 'replay') {
    process.stderr.write(usage);
    return 2;
  }
  const databaseUrl = z.url({ protocol: /^postgres(ql)?$/ }).safeParse(process.env.DATABASE_URL);
  if (!databaseUrl.success) {
    process.stderr.write('DATABASE_URL must be set to the PostgreSQL database of the worker.\n');
    return 2;
  }
  const database = await openDatabase({ url: databaseUrl.data, maxConnections: 1 });
  try {
    if (command === 'failed') {
      const failures = await listJobFailures(database.db);
      if (failures.length === 0) write('No failed job waiting for a replay.\n');
      for (const failure of failures) {
        const columns = [
          failure.id,
          failure.failedAt.toISOString(),
          failure.jobName,
          `job ${failure.jobId}`,
          `${failure.attempts} attempt(s)${failure.poison ? ', poison' : ''}`,
          failure.error.split('\n')[0],
        ];
        write(`${columns.join('  ')}\n`);
      }
      return 0;
    }
    if (!failureId) {
      process.stderr.write(usage);
      return 2;
    }
    const outcome = await replayJobFailure(database.db, failureId, new Date());
    write(`${failureId}: ${outcome}\n`);
    return outcome === 'requeued' ? 0 : 1;
  } finally {
    await database.close();
  }
}

process.exitCode = await main(process.argv.slice(2));
