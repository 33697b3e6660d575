import { openDatabase } from '@parcours/db';
import { listJobFailures, listUndeliveredMail, replayJobFailure, resendMail } from '@parcours/job-store';
import { z } from 'zod';

/**
 * Failed jobs, for an administrator:
 *   npm run -w @parcours/worker jobs -- failed
 *   npm run -w @parcours/worker jobs -- replay <failure id>
 *   npm run -w @parcours/worker jobs -- resend-mail <delivery id>   (a mail `uncertain` or `failed`, once checked)
 * A replay puts the job back through the outbox; the running worker (whichever runner) picks it up.
 */
const usage = 'usage: jobs failed | jobs replay <failure id> | jobs resend-mail <delivery id>\n';

const write = (text: string) => process.stdout.write(text);

async function main(args: string[]): Promise<number> {
  const [command, failureId] = args;
  if (command !== 'failed' && command !== 'replay' && command !== 'resend-mail') {
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
      // Mails refused for now (their job retries them) and mails whose sending was cut short: an uncertain one
      // may have left, so it is resent only by an admin who checked (`jobs resend-mail <id>`).
      const undelivered = await listUndeliveredMail(database.db);
      if (undelivered.length > 0)
        write('\nMails not delivered (failed: retried by their job; uncertain: check, then resend-mail):\n');
      for (const mail of undelivered) {
        write(
          `${[mail.id, mail.claimedAt.toISOString(), mail.template, mail.status, `${mail.attempts} attempt(s)`, mail.lastError ?? ''].join('  ')}\n`,
        );
      }
      return 0;
    }
    if (!failureId) {
      process.stderr.write(usage);
      return 2;
    }
    if (command === 'resend-mail') {
      const resent = await resendMail(database.db, failureId);
      write(`${failureId}: ${resent}\n`);
      return resent === 'requeued' ? 0 : 1;
    }
    const outcome = await replayJobFailure(database.db, failureId, new Date());
    write(`${failureId}: ${outcome}\n`);
    return outcome === 'requeued' ? 0 : 1;
  } finally {
    await database.close();
  }
}

process.exitCode = await main(process.argv.slice(2));
